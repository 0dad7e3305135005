"""The desk pages around the draws: enforcement certificates (managed by a department supervisor, audited, not
by an inspector), declared links (an inspector declares their own; audited; duplicates refused), the to-do
items, and the public page and API's throttle (60 a minute per address, 429 with Retry-After in Chinese)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from anquan.accounts.models import EnforcementCertificate
from anquan.core.models import AuditEntry
from anquan.core.todo import items_for
from anquan.draws import services
from anquan.draws.models import DeclaredLink
from tests.conftest import login

from .conftest import new_draft

pytestmark = pytest.mark.django_db


def test_a_supervisor_registers_and_changes_a_certificate_and_an_inspector_may_not(draws_world):
    dw = draws_world
    client = login(dw.supervisor)
    page = client.get("/users/certificates/")
    assert page.status_code == 200 and "3604022026000" in page.content.decode()
    form = {
        "inspector": "li",
        "number": "JX-2026-0099",
        "issuing_authority": "江西省人民政府",
        "valid_from": "2026-01-01",
        "valid_until": "2025-12-31",
        "home_township": dw.world.t2.code,
    }
    refused = client.post("/users/certificates/new/", form)
    assert refused.status_code == 422 and "有效期止不能早于有效期起" in refused.content.decode()
    assert not EnforcementCertificate.objects.filter(number="JX-2026-0099").exists()
    assert client.post("/users/certificates/new/", {**form, "valid_until": "2028-12-31"}).status_code == 302
    cert = EnforcementCertificate.objects.get(number="JX-2026-0099")
    assert cert.user.username == "li" and cert.home_township == dw.world.t2
    edit = client.post(
        f"/users/certificates/{cert.pk}/", {**form, "valid_until": "2029-06-30", "home_township": ""}
    )
    assert edit.status_code == 302
    cert.refresh_from_db()
    assert cert.valid_until == dt.date(2029, 6, 30) and cert.home_township is None
    actions = list(
        AuditEntry.objects.filter(
            model="accounts.enforcementcertificate", object_id=str(cert.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "update"]
    inspector = login(dw.inspectors["li"])
    assert inspector.post("/users/certificates/new/", {**form, "number": "X-1"}).status_code == 403
    assert inspector.post(f"/users/certificates/{cert.pk}/", form).status_code == 403


def test_an_inspector_declares_a_link_on_the_page_and_a_second_one_is_refused(draws_world):
    dw = draws_world
    client = login(dw.inspectors["li"])
    target = dw.enterprises[0]
    response = client.post(
        "/draws/links/", {"enterprise": target.uscc, "kind": "former", "note": "2019年前任职"}
    )
    assert response.status_code == 302
    link = DeclaredLink.objects.get(inspector=dw.inspectors["li"], enterprise=target)
    assert AuditEntry.objects.filter(
        model="draws.declaredlink", object_id=str(link.pk), action="create"
    ).exists()
    again = client.post("/draws/links/", {"enterprise": target.uscc, "kind": "other", "note": "重复"})
    assert again.status_code == 409 and "已申报过" in again.content.decode()
    listed = client.get("/draws/links/").content.decode()
    assert target.name in listed and dw.linked.name not in listed  # wang's link is wang's own
    # declaring for a colleague: refused to an inspector
    other = client.post(
        "/draws/links/", {"inspector": "wang", "enterprise": dw.enterprises[1].uscc, "kind": "shares"}
    )
    assert other.status_code == 403 and DeclaredLink.objects.filter(inspector__username="wang").count() == 1


def test_the_to_do_centre_names_drafts_to_draw_and_results_to_enter(draws_world):
    dw = draws_world
    draw = new_draft(dw, enterprise_count=1)
    kinds = {i.kind: i.count for i in items_for(dw.supervisor)}
    assert kinds["draws.draw"] == 1
    draw = services.transition(
        services.draw_now(draw, actor=dw.supervisor, seed="t"), "publish", actor=dw.supervisor
    )
    inspector = draw.picks.get().assignments.first().inspector
    assert {i.kind: i.count for i in items_for(inspector)}["draws.result"] == 1


def test_the_public_api_is_throttled_per_address():
    cache.clear()
    try:
        client = Client(REMOTE_ADDR="203.0.113.7")
        answers = [client.get("/api/v1/public/random-draws").status_code for _ in range(61)]
        assert answers[:60] == [200] * 60 and answers[60] == 429
        last = client.get("/api/v1/public/random-draws")
        assert last.json() == {"detail": "请求过于频繁，请稍后再试"} and int(last["Retry-After"]) > 0
        # a forged X-Forwarded-For does not reset the count (no proxy configured)
        assert (
            client.get("/api/v1/public/random-draws", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
        )
        assert Client(REMOTE_ADDR="203.0.113.8").get("/api/v1/public/random-draws").status_code == 200
    finally:
        cache.clear()


def test_an_unknown_risk_level_is_refused_in_words_a_user_reads(draws_world):
    from anquan.core.errors import ValidationFailed
    from anquan.draws import services

    with pytest.raises(ValidationFailed) as refused:
        services.create_draft(
            {"title": "抽查", "enterprise_count": 1, "risk_level": "purple"}, actor=draws_world.supervisor
        )
    [error] = [e for e in refused.value.errors if e.field == "risk_level"]
    assert error.message == "风险等级应为：重大风险、较大风险、一般风险、低风险"


def test_the_lower_regions_choice_reads_yes_and_no_and_refuses_anything_else(draws_world):
    from anquan.core.errors import ValidationFailed
    from anquan.draws.models import RandomDraw

    from .conftest import new_draft

    assert new_draft(draws_world).include_lower_regions is True  # left out: the lower regions' inspectors too
    assert new_draft(draws_world, include_lower_regions="no").include_lower_regions is False
    assert new_draft(draws_world, include_lower_regions="off").include_lower_regions is False
    before = RandomDraw.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        new_draft(draws_world, include_lower_regions="maybe")
    assert [e.field for e in refused.value.errors] == ["include_lower_regions"]
    assert RandomDraw.objects.count() == before
