"""Accounts: roles need the right kind of scope; administrators create users only inside their own scope."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from anquan.accounts.models import User
from anquan.accounts.services import create_user
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry

from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

STRONG = "Gd7-safety-2026"


def codes(exc: ValidationFailed) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in exc.errors}


def test_createuser_command_provisions_a_department_account(world, capsys):
    call_command(
        "createuser",
        "wuning_yjj",
        "--role",
        "department_supervisor",
        "--region",
        "360423",
        "--department",
        "应急管理局",
        "--password",
        STRONG,
    )
    user = User.objects.get(username="wuning_yjj")
    assert (user.role, user.region.code, user.department.name) == (
        "department_supervisor",
        "360423",
        "应急管理局",
    )
    assert user.check_password(STRONG)
    assert AuditEntry.objects.filter(model="accounts.user", object_id=str(user.pk), action="create").exists()


def test_createuser_command_reports_errors_in_chinese(world):
    with pytest.raises(CommandError, match="该角色须指定所属部门"):
        call_command("createuser", "x1", "--role", "inspector", "--region", "360402", "--password", STRONG)
    with pytest.raises(CommandError, match="管辖区域层级不符"):
        call_command(
            "createuser", "x2", "--role", "county_office", "--region", "360400", "--password", STRONG
        )
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_enterprise_account_takes_the_enterprise_region(world):
    user = create_user(
        actor=None,
        username="boss",
        role="enterprise_manager",
        password=STRONG,
        enterprise_uscc=world.chem_t2.uscc,
    )
    assert user.region == world.t2


def test_county_office_creates_users_only_inside_its_county(world):
    actor = world.users["county_office"]
    inside = create_user(
        actor=actor, username="t2_office", role="township_office", password=STRONG, region_code=world.t2.code
    )
    assert inside.region == world.t2
    with pytest.raises(ValidationFailed) as outside:
        create_user(
            actor=actor,
            username="xs_office",
            role="township_office",
            password=STRONG,
            region_code=world.chem_xiushui.region.code,
        )
    assert ("region", "out_of_scope") in codes(outside.value)
    with pytest.raises(ValidationFailed) as admin:
        create_user(actor=actor, username="root2", role="sysadmin", password=STRONG, region_code="360402")
    assert ("role", "not_permitted") in codes(admin.value)
    assert not User.objects.filter(username__in=["xs_office", "root2"]).exists()


def test_non_administrators_cannot_create_users(world):
    with pytest.raises(NotPermitted):
        create_user(
            actor=world.users["inspector"],
            username="y",
            role="grid_worker",
            password=STRONG,
            region_code=world.t1.code,
        )
    assert login(world.users["inspector"]).get("/users/").status_code == 403


def test_weak_password_and_duplicate_username_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        create_user(
            actor=None,
            username="inspector",
            role="grid_worker",
            password="12345678",
            region_code=world.t1.code,
        )
    assert {("username", "duplicate"), ("password", "weak_password")} <= codes(exc.value)


def test_user_management_page_lists_only_own_area(world):
    page = login(world.users["county_office_b"]).get("/users/").content.decode()
    assert "<td>county_office_b</td>" in page
    assert "<td>township_office</td>" not in page and "<td>grid_worker</td>" not in page


def test_user_form_creates_an_account(world):
    client = login(world.users["county_office"])
    response = client.post(
        "/users/new/",
        {
            "username": "gw2",
            "role": "grid_worker",
            "region": world.t2.code,
            "password": STRONG,
            "full_name": "网格员二",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="gw2").region == world.t2
    bad = client.post(
        "/users/new/", {"username": "gw3", "role": "grid_worker", "region": "360424", "password": STRONG}
    )
    assert "只能在本人管辖范围内创建用户" in bad.content.decode()


def test_disabling_a_user_blocks_login(world):
    client = login(world.users["county_office"])
    target = world.users["grid_worker"]
    client.post(f"/users/{target.pk}/toggle/")
    target.refresh_from_db()
    assert not target.is_active
    token = Client().post(
        "/api/v1/auth/token",
        {"username": "grid_worker", "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 401


def test_passwords_are_hashed_with_argon2():
    from anquan import settings as configured  # the tests' fixture swaps in a fast hasher; read the real list

    with override_settings(PASSWORD_HASHERS=configured.PASSWORD_HASHERS):
        assert make_password(STRONG).startswith("argon2$argon2id$")


def test_login_page_is_chinese_and_logs_in(world):
    client = Client()
    page = client.get("/login/").content.decode()
    assert "安全生产综合监管平台" in page and "登录" in page
    response = client.post("/login/", {"username": "county_office", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "监管企业数" in home and "濂溪区" in home


def test_api_creates_users_inside_scope_only(world, api_token):
    import json

    headers = api_token("county_office")
    body = {"username": "api_gw", "role": "grid_worker", "region": world.t2.code, "password": STRONG}
    created = Client().post("/api/v1/users", json.dumps(body), content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["region"] == world.t2.code
    outside = {**body, "username": "api_gw2", "region": world.chem_xiushui.region.code}
    refused = Client().post("/api/v1/users", json.dumps(outside), content_type="application/json", **headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["code"] == "out_of_scope"
    forbidden = Client().post(
        "/api/v1/users",
        json.dumps({**body, "username": "api_gw3"}),
        content_type="application/json",
        **api_token("inspector"),
    )
    assert forbidden.status_code == 403
    assert not User.objects.filter(username__in=["api_gw2", "api_gw3"]).exists()
