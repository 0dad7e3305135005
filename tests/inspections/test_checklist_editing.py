"""Editing checklist templates (issue #13 item 4): the province office makes a new version from the one in use —
items added, removed, reordered, one marked as a judgement-standard item — through the pages and through the API
with a bearer token over real HTTP; bad input is refused field by field in Chinese; an inspection already planned
keeps the version it started with; who may not edit is refused, who may not read gets 404."""

from __future__ import annotations

import json

import pytest

from anquan.core.models import AuditEntry
from anquan.inspections import services
from anquan.inspections.models import ChecklistTemplate
from tests.browserless import call, token_for
from tests.conftest import login

API = "/api/v1/inspections/checklists"


def _chemical() -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(industry__code="hazardous_chemicals", active=True)


def _form(template: ChecklistTemplate, **change: str) -> dict[str, str]:
    """The edit form as the page fills it from `template` (3 blank rows after the items), then `change`."""
    items = list(template.items.select_related("judgement_item__standard").order_by("order"))
    data = {"rows": str(len(items) + 3), "note": ""}
    for n, item in enumerate(items):
        ji = item.judgement_item
        data |= {
            f"order-{n}": str(n + 1),
            f"text-{n}": item.text,
            f"basis-{n}": item.basis,
            f"judgement-{n}": f"{ji.standard.doc_no} {ji.clause}" if ji else "",
            f"source-{n}": item.source,
        }
    for k in range(3):
        data[f"new-{len(items) + k}"] = "1"
    return data | change


@pytest.mark.django_db
def test_the_province_office_makes_a_new_version_on_the_page_and_a_started_inspection_keeps_its_own(world):
    old = _chemical()
    inspector = world.users["inspector"]
    planned = services.create({"enterprise": world.chem_t1.uscc, "planned_on": "2026-12-01"}, actor=inspector)
    client = login(world.users["province_office"])
    page = client.get("/inspections/checklists/?industry=hazardous_chemicals")
    assert page.status_code == 200 and "危险化学品生产经营单位检查表" in page.content.decode()
    detail = client.get(f"/inspections/checklists/{old.pk}/").content.decode()
    assert "重大事故隐患判定标准：《" in detail and "安监总管三〔2017〕121号" in detail

    first_two = [i.text for i in old.items.order_by("order")[:2]]
    n = old.items.count()
    form = _form(
        old,
        **{
            "order-0": "2.5",  # the first item moves after the second ... (orders 2, 2.5, 3 …)
            "remove-2": "1",  # the third goes
            f"text-{n}": "储罐区可燃气体报警器是否定期检定",  # a new common item
            f"basis-{n}": "GB/T 50493-2019 第3.0.1条",
            f"order-{n}": "0",  # ... placed first
            f"text-{n + 1}": "液化烃储罐是否设置紧急切断阀",  # a new item marked as a judgement-standard item
            f"judgement-{n + 1}": f"{old.items.order_by('order')[4].basis}",
            "note": "增加可燃气体报警器检定，删除第3项",
        },
    )
    done = client.post(f"/inspections/checklists/{old.pk}/new-version/", form)
    assert done.status_code == 302, done.content.decode()[:2000]
    new = _chemical()
    texts = [i.text for i in new.items.order_by("order")]
    assert new.version == 2 and new.note == "增加可燃气体报警器检定，删除第3项"
    assert texts[:3] == ["储罐区可燃气体报警器是否定期检定", first_two[1], first_two[0]]
    assert len(texts) == n - 1 + 2
    added = new.items.get(text="液化烃储罐是否设置紧急切断阀")
    assert added.judgement_item_id == old.items.order_by("order")[4].judgement_item_id
    assert new.items.get(text="储罐区可燃气体报警器是否定期检定").source == "通用检查项"
    assert AuditEntry.objects.filter(object_id=str(new.pk), comment__contains="检查表新版本").exists()
    old.refresh_from_db()
    assert not old.active and old.items.count() == n  # the old version as it was
    planned.refresh_from_db()
    assert planned.template_id == old.pk and planned.items.count() == n  # kept the version it started with
    assert planned.items.filter(text=first_two[0], order=1).exists()
    stale = client.post(f"/inspections/checklists/{old.pk}/new-version/", form)
    assert stale.status_code == 409 and "第2版" in stale.content.decode()


@pytest.mark.django_db
def test_bad_rows_are_refused_each_on_its_row_and_nothing_is_saved(world):
    old = _chemical()
    client = login(world.users["province_office"])
    n = old.items.count()
    first = old.items.order_by("order").first()
    assert first is not None
    form = _form(
        old,
        **{
            "order-0": "第一",  # not a number
            "text-1": "",  # emptied
            "text-3": "长" * 2001,
            f"text-{n}": first.text,  # a duplicate of the first
            f"text-{n + 1}": "新增项",
            f"judgement-{n + 1}": "不存在的文号 第99项",
        },
    )
    answer = client.post(f"/inspections/checklists/{old.pk}/new-version/", form)
    html = answer.content.decode()
    assert answer.status_code == 422
    assert 'data-testid="error-text-1">检查内容不能为空' in html
    assert 'data-testid="error-text-3">检查内容不能超过2000个字符' in html
    assert f'data-testid="error-text-{n}">与第1项重复' in html
    assert f'data-testid="error-judgement-{n + 1}">未找到该判定标准条目' in html
    assert "修订说明不能为空" in html and "序号应为数字" in html and "有5项需要修改" in html
    assert ChecklistTemplate.objects.filter(industry__code="hazardous_chemicals").count() == 1
    unchanged = client.post(f"/inspections/checklists/{old.pk}/new-version/", _form(old, note="无改动"))
    assert unchanged.status_code == 422 and "与当前版本完全相同" in unchanged.content.decode()


@pytest.mark.django_db
def test_only_the_province_office_and_sysadmin_edit_others_read_and_field_users_get_404(world):
    old = _chemical()
    for name in ("county_office", "emergency_supervisor", "inspector"):
        client = login(world.users[name])
        assert client.get(f"/inspections/checklists/{old.pk}/").status_code == 200
        assert client.get(f"/inspections/checklists/{old.pk}/new-version/").status_code == 404
        assert "new-version" not in client.get("/inspections/checklists/").content.decode()
    for name in ("grid_worker", "enterprise_manager"):
        assert login(world.users[name]).get("/inspections/checklists/").status_code == 404
    assert (
        login(world.users["sysadmin"]).get(f"/inspections/checklists/{old.pk}/new-version/").status_code
        == 200
    )


@pytest.mark.django_db(transaction=True)
def test_the_api_lists_reads_and_makes_a_version_with_a_token_and_refuses_bad_input(live_server, world):
    base = live_server.url
    token = token_for(base, "province_office")
    status, _, raw = call(base, "GET", f"{API}?industry=hazardous_chemicals", token=token)
    assert status == 200, raw
    listed = json.loads(raw)["items"]
    assert [(c["name"], c["version"], c["active"]) for c in listed] == [
        ("危险化学品生产经营单位检查表", 1, True)
    ]
    cid = listed[0]["id"]
    status, _, raw = call(base, "GET", f"{API}/{cid}", token=token)
    detail = json.loads(raw)
    assert status == 200 and detail["item_count"] == len(detail["items"]) == 20
    assert all(i["major"] and "安监总管三〔2017〕121号" in i["judgement_citation"] for i in detail["items"])

    bad = {
        "items": [
            {"text": ""},
            {"text": "同一项"},
            {"text": "同一项"},
            {"text": "x", "judgement_item": 999999},
        ]
    }
    status, _, raw = call(base, "POST", f"{API}/{cid}/versions", bad | {"note": "试"}, token=token)
    fields = {e["field"]: e["message"] for e in json.loads(raw)["detail"]}
    assert status == 422, raw
    assert fields["items.0.text"] == "检查内容不能为空" and fields["items.2.text"].startswith("与第2项重复")
    assert fields["items.3.judgement_item"] == "该重大事故隐患判定标准条目不存在"
    status, _, raw = call(base, "POST", f"{API}/{cid}/versions", {"items": [], "note": "空"}, token=token)
    assert status == 422 and json.loads(raw)["detail"][0]["field"] == "items"
    many = {"items": [{"text": f"第{n}项"} for n in range(201)], "note": "太多"}
    status, _, raw = call(base, "POST", f"{API}/{cid}/versions", many, token=token)
    assert status == 422 and json.loads(raw)["detail"][0]["field"].startswith("items"), raw

    keep = detail["items"][1]
    body = {
        "items": [
            {"text": "应急预案是否备案并定期演练", "basis": "《生产安全事故应急条例》第八条"},
            {"text": keep["text"], "basis": keep["basis"], "judgement_item": keep["judgement_item"]},
        ],
        "note": "精简为两项（测试）",
    }
    status, _, raw = call(base, "POST", f"{API}/{cid}/versions", body, token=token)
    assert status == 201, raw
    made = json.loads(raw)
    assert (made["version"], made["active"], made["item_count"]) == (2, True, 2)
    assert [(i["major"], i["source"].startswith("重大事故隐患判定标准")) for i in made["items"]] == [
        (False, False),
        (True, True),
    ]
    status, _, raw = call(base, "POST", f"{API}/{cid}/versions", body, token=token)
    assert status == 409 and "第2版" in json.loads(raw)["detail"][0]["message"]

    inspector = token_for(base, "inspector")
    status, _, raw = call(base, "GET", f"{API}/{made['id']}", token=inspector)
    assert status == 200
    status, _, raw = call(base, "POST", f"{API}/{made['id']}/versions", body, token=inspector)
    assert status == 403 and "省级安委办或系统管理员" in json.loads(raw)["detail"][0]["message"]
    status, _, _ = call(base, "GET", f"{API}/{cid}", token=token_for(base, "enterprise_manager"))
    assert status == 404
