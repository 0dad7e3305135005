"""Data gateways: the key is shown once (on the answer to the issue) and only its SHA-256 is stored, never in the
audit log either; a revoked gateway is marked at once; codes are checked; scope and roles."""

import hashlib
import html

import pytest

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.monitoring import gateway_keys
from anquan.monitoring.models import Gateway

from ..conftest import login

pytestmark = pytest.mark.django_db


def test_issue_stores_only_the_hash_and_audits_without_it(world):
    gateway, key = gateway_keys.issue(
        world.chem_t1, code="JX-GW-01", name="罐区网关", actor=world.users["enterprise_manager"]
    )
    stored = Gateway.objects.get(pk=gateway.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() == Gateway.hash_key(key)
    assert key not in str(Gateway.objects.filter(pk=gateway.pk).values().get())
    entry = AuditEntry.objects.get(model="monitoring.gateway", object_id=str(gateway.pk))
    assert entry.action == "create" and "key_hash" not in entry.after and key not in str(entry.after)
    _, second = gateway_keys.issue(
        world.chem_t1, code="JX-GW-02", name="装卸区网关", actor=world.users["enterprise_manager"]
    )
    assert second != key and len(key) > 40 and key.startswith("gw_")


@pytest.mark.parametrize(
    "code,name,field",
    [
        ("", "网关", "code"),
        ("a", "网关", "code"),
        ("has space", "网关", "code"),
        ("主题", "网关", "code"),
        ("GW/1", "网关", "code"),
        ("GW-9", "", "name"),
        ("GW-9", "x" * 101, "name"),
    ],
)
def test_bad_codes_and_names_are_refused(world, code, name, field):
    with pytest.raises(ValidationFailed) as exc:
        gateway_keys.issue(world.chem_t1, code=code, name=name, actor=world.users["county_office"])
    assert field in {e.field for e in exc.value.errors}
    assert not Gateway.objects.exists()


def test_a_code_is_unique_across_the_platform(world):
    gateway_keys.issue(world.chem_t1, code="GW-1", name="一号", actor=world.users["county_office"])
    with pytest.raises(ValidationFailed) as exc:
        gateway_keys.issue(world.chem_t2, code="GW-1", name="另一家", actor=world.users["county_office"])
    assert "已被使用" in exc.value.errors[0].message


def test_revoke_is_audited_once_and_a_second_revoke_changes_nothing(world):
    gateway, _ = gateway_keys.issue(
        world.chem_t1, code="GW-2", name="二号", actor=world.users["enterprise_manager"]
    )
    gateway_keys.revoke(gateway, actor=world.users["emergency_supervisor"])
    assert Gateway.objects.get(pk=gateway.pk).revoked_at is not None
    again = gateway_keys.revoke(Gateway.objects.get(pk=gateway.pk), actor=world.users["enterprise_manager"])
    assert (
        again.revoked_at == Gateway.objects.get(pk=gateway.pk).revoked_at
    )  # nothing changes the second time
    assert (
        AuditEntry.objects.filter(
            model="monitoring.gateway", comment__startswith="撤销数据采集网关密钥"
        ).count()
        == 1
    )


def test_roles_that_may_not_configure(world):
    for persona in ("grid_worker", "township_office", "inspector", "county_office_b", "housing_supervisor"):
        with pytest.raises(NotPermitted):
            gateway_keys.issue(world.chem_t1, code=f"GW-{persona}", name="网关", actor=world.users[persona])
    assert not Gateway.objects.exists()


def test_the_page_shows_the_key_once_with_topic_endpoint_and_example(world):
    client = login(world.users["enterprise_manager"])
    response = client.post("/monitoring/gateways/issue/", {"code": "JX-GW-7", "name": "罐区网关"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    gateway = Gateway.objects.get(code="JX-GW-7")
    key = page.split('data-testid="gateway-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert Gateway.hash_key(key) == gateway.key_hash
    assert "anquan/v1/JX-GW-7/readings" in page and "/api/v1/monitoring/readings" in page
    assert "密钥只显示这一次" in page and '"device_id": "GT-101"' in html.unescape(page)
    again = client.get(f"/monitoring/gateways/?enterprise={world.chem_t1.pk}").content.decode()
    assert "JX-GW-7" in again and key not in again
    bad = client.post("/monitoring/gateways/issue/", {"code": "JX-GW-7", "name": "重复"})
    assert bad.status_code == 422 and "已被使用" in bad.content.decode()
    revoked = client.post(f"/monitoring/gateways/{gateway.pk}/revoke/")
    assert revoked.status_code == 302 and Gateway.objects.get(pk=gateway.pk).revoked_at is not None


def test_pages_out_of_scope_and_for_a_grid_worker(world):
    gateway, _ = gateway_keys.issue(
        world.chem_t1, code="GW-3", name="三号", actor=world.users["county_office"]
    )
    assert (
        login(world.users["county_office_b"]).post(f"/monitoring/gateways/{gateway.pk}/revoke/").status_code
        == 404
    )
    assert "GW-3" not in login(world.users["county_office_b"]).get("/monitoring/gateways/").content.decode()
    grid = login(world.users["grid_worker"])
    assert grid.get("/monitoring/gateways/").status_code == 404
    assert (
        grid.post(
            "/monitoring/gateways/issue/", {"code": "GW-4", "name": "x", "enterprise": world.chem_t1.uscc}
        ).status_code
        == 404
    )
    assert Gateway.objects.get(pk=gateway.pk).revoked_at is None
