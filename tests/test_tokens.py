"""Authentication as real clients meet it, through a real socket with a plain HTTP client (issue #9 item 1):
bearer writes never meet CSRF; the token lifecycle (expiry, revocation by owner and administrator, disabled
and re-enabled accounts, password changes); the lockout as JSON 429 and per address (password spraying);
password rules in Chinese for the API and the page."""

import datetime as dt
import http.cookiejar
import json
import re
import urllib.parse
import urllib.request

import pytest
from django.utils import timezone

from anquan.accounts.models import ApiToken, User
from anquan.core.audit import verify
from anquan.core.models import AuditEntry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

STRONG = "Gd7-safety-2026"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Client:
    """A plain HTTP client with its own cookie jar (a browser without JavaScript, or a script)."""

    def __init__(self, base, headers=None):
        self.base = base
        self.headers = headers or {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def call(self, method, path, body=None, token=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in {**self.headers, **(headers or {})}.items():
            request.add_header(name, value)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        return self._open(request)

    def form(self, path, fields):
        """POST a page's form the way a browser does: with the CSRF cookie and field."""
        if self.csrf is None:
            self.call("GET", "/login/")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Referer", self.base + path)
        for name, value in self.headers.items():
            request.add_header(name, value)
        return self._open(request)

    def login(self, username, password=PASSWORD):
        status, _, body = self.form("/login/", {"username": username, "password": password})
        assert status == 302, body.decode()[:500]

    @property
    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), None)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def issue(client, username, password=PASSWORD, label=""):
    status, headers, body = client.call(
        "POST", "/api/v1/auth/token", {"username": username, "password": password, "label": label}
    )
    return status, headers, json.loads(body)


def token_of(client, username, label=""):
    status, _, body = issue(client, username, label=label)
    assert status == 200, body
    return body


def works(client, key) -> bool:
    status, _, body = client.call("GET", "/api/v1/users/me", token=key)
    assert status in (200, 401), body
    return status == 200


# ---- bearer before session -----------------------------------------------------------------------


def test_token_write_needs_no_csrf_even_beside_a_session_cookie(live_server, world):
    client = Client(live_server.url)
    client.login("county_office")  # a browser session cookie is sent along, with no CSRF token
    key = token_of(client, "county_office")["token"]
    body = {"username": "lianxi_gw9", "role": "grid_worker", "region": world.t2.code, "password": STRONG}
    status, _, answer = client.call("POST", "/api/v1/users", body, token=key)
    assert status == 201, answer
    assert json.loads(answer)["username"] == "lianxi_gw9"
    # the session alone still meets the CSRF check on a write
    status, _, answer = client.call("POST", "/api/v1/users", {**body, "username": "lianxi_gw10"})
    assert status == 403, answer
    assert not User.objects.filter(username="lianxi_gw10").exists()


# ---- lifecycle -----------------------------------------------------------------------------------


def test_token_expires(live_server, world, settings):
    settings.ANQUAN_TOKEN_DAYS = 7
    client = Client(live_server.url)
    before = timezone.now()
    issued = token_of(client, "inspector", label="巡查App")
    expires = dt.datetime.fromisoformat(issued["expires_at"])
    assert before + dt.timedelta(days=7) <= expires <= timezone.now() + dt.timedelta(days=7)
    assert works(client, issued["token"])
    ApiToken.objects.filter(pk=issued["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    status, _, body = client.call("GET", "/api/v1/users/me", token=issued["token"])
    assert status == 401 and CHINESE.search(json.loads(body)["detail"])
    fresh = token_of(client, "inspector")["token"]
    status, _, body = client.call("GET", "/api/v1/auth/tokens", token=fresh)
    listed = {t["id"]: t for t in json.loads(body)["items"]}
    assert listed[issued["id"]]["status"] == "expired" and listed[issued["id"]]["label"] == "巡查App"


def test_owner_lists_and_revokes_own_tokens(live_server, world):
    client = Client(live_server.url)
    phone = token_of(client, "grid_worker", label="手机")
    script = token_of(client, "grid_worker", label="脚本")
    status, _, body = client.call("GET", "/api/v1/auth/tokens", token=phone["token"])
    assert status == 200
    page = json.loads(body)
    assert page["count"] == 2 and {t["label"] for t in page["items"]} == {"手机", "脚本"}
    text = body.decode()
    assert phone["token"] not in text and script["token"] not in text and "key_hash" not in text
    assert set(page["items"][0]) == {
        "id", "user", "label", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "status"
    }  # fmt: skip
    status, _, body = client.call("DELETE", f"/api/v1/auth/tokens/{script['id']}", token=phone["token"])
    assert status == 200 and json.loads(body)["status"] == "revoked"
    assert json.loads(body)["revoked_reason"] == "owner"
    assert not works(client, script["token"]) and works(client, phone["token"])
    # someone else's token is not there for a user without user management
    other = token_of(client, "inspector")
    status, _, _ = client.call("DELETE", f"/api/v1/auth/tokens/{other['id']}", token=phone["token"])
    assert status == 404 and works(client, other["token"])
    status, _, _ = client.call("GET", "/api/v1/auth/tokens?user=inspector", token=phone["token"])
    assert status == 404
    # revoke all my tokens: the one making the call included
    status, _, body = client.call("POST", "/api/v1/auth/tokens/revoke-all", token=phone["token"])
    assert status == 200 and json.loads(body) == {"revoked": 1}
    assert not works(client, phone["token"])
    entries = AuditEntry.objects.filter(model="accounts.apitoken")
    assert entries.filter(action="create").count() == 3
    assert entries.filter(action="update", actor__username="grid_worker").count() == 2
    assert verify().ok


def test_administrator_revokes_tokens_of_users_in_scope_only(live_server, world):
    client = Client(live_server.url)
    grid = token_of(client, "grid_worker", label="网格通")
    county = token_of(client, "county_office")["token"]
    other_county = token_of(client, "county_office_b")["token"]
    grid_id = world.users["grid_worker"].pk
    for ref in ("grid_worker", str(grid_id)):
        status, _, body = client.call("GET", f"/api/v1/auth/tokens?user={ref}", token=county)
        assert status == 200 and [t["id"] for t in json.loads(body)["items"]] == [grid["id"]]
    # out of scope: 404 for the listing and the revocation, and the token lives on
    status, _, _ = client.call("GET", "/api/v1/auth/tokens?user=grid_worker", token=other_county)
    assert status == 404
    status, _, _ = client.call("DELETE", f"/api/v1/auth/tokens/{grid['id']}", token=other_county)
    assert status == 404 and works(client, grid["token"])
    status, _, body = client.call("DELETE", f"/api/v1/auth/tokens/{grid['id']}", token=county)
    assert status == 200 and json.loads(body)["revoked_reason"] == "admin"
    assert not works(client, grid["token"])
    entry = AuditEntry.objects.get(model="accounts.apitoken", object_id=str(grid["id"]), action="update")
    assert entry.actor.username == "county_office" and entry.after["revoked_reason"] == "admin"


def test_disabled_account_tokens_stay_dead_after_re_enabling(live_server, world):
    client = Client(live_server.url)
    admin = token_of(client, "county_office")["token"]
    grid = token_of(client, "grid_worker")["token"]
    township = token_of(client, "township_office")["token"]
    grid_id, township_id = world.users["grid_worker"].pk, world.users["township_office"].pk
    # through the API
    status, _, body = client.call("PATCH", f"/api/v1/users/{grid_id}", {"is_active": False}, token=admin)
    assert status == 200 and json.loads(body)["is_active"] is False
    assert not works(client, grid)
    status, _, body = client.call("PATCH", f"/api/v1/users/{grid_id}", {"is_active": True}, token=admin)
    assert status == 200 and json.loads(body)["is_active"] is True
    assert not works(client, grid)
    assert works(client, token_of(client, "grid_worker")["token"])  # a new token is needed, and works
    # through the page
    page = Client(live_server.url)
    page.login("county_office")
    assert page.form(f"/users/{township_id}/toggle/", {})[0] == 302
    assert not works(client, township)
    assert page.form(f"/users/{township_id}/toggle/", {})[0] == 302
    assert User.objects.get(pk=township_id).is_active and not works(client, township)
    reasons = ApiToken.objects.filter(revoked_at__isnull=False).values_list("revoked_reason", flat=True)
    assert set(reasons) == {"disabled"}


def test_password_change_kills_tokens(live_server, world):
    client = Client(live_server.url)
    first = token_of(client, "inspector")["token"]
    second = token_of(client, "inspector")["token"]
    wrong = {"old_password": "not-it-at-all", "new_password": STRONG}
    status, _, body = client.call("POST", "/api/v1/users/me/password", wrong, token=first)
    assert status == 422 and json.loads(body)["detail"][0]["field"] == "old_password"
    weak = {"old_password": PASSWORD, "new_password": "inspector1"}
    status, _, body = client.call("POST", "/api/v1/users/me/password", weak, token=first)
    assert status == 422 and {e["field"] for e in json.loads(body)["detail"]} == {"new_password"}, body
    assert works(client, first)  # a refused change changes nothing
    change = {"old_password": PASSWORD, "new_password": STRONG}
    status, _, body = client.call("POST", "/api/v1/users/me/password", change, token=first)
    assert status == 204, body
    assert not works(client, first) and not works(client, second)
    assert issue(client, "inspector", password=STRONG)[0] == 200
    # any other path that sets a password (the `changepassword` command, a shell) revokes them as well
    third = token_of(client, "grid_worker")["token"]
    user = User.objects.get(username="grid_worker")
    user.set_password("An0ther-safe-one")
    user.save()
    assert not works(client, third)
    assert ApiToken.objects.filter(user=user, revoked_reason="password_changed").count() == 1


def test_hash_upgrade_on_login_is_no_password_change(live_server, world, settings):
    """Logging in re-hashes a password stored with an older hasher; that must not revoke any token."""
    client = Client(live_server.url)
    key = token_of(client, "inspector")["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert User.objects.get(username="inspector").password.startswith("md5$")
    token_of(client, "inspector")
    assert User.objects.get(username="inspector").password.startswith("argon2$")
    assert works(client, key)


# ---- lockout -------------------------------------------------------------------------------------


def test_token_endpoint_lockout_answers_json_429(live_server, world, settings):
    client = Client(live_server.url)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        status, _, body = issue(client, "county_office", password=f"wrong-{attempt}")
        assert status == 401 and body == {"detail": "用户名或密码错误"}
    status, headers, body = issue(client, "county_office", password="wrong-last")
    assert status == 429
    # locked: even the right password is refused, as JSON in Chinese with Retry-After
    status, headers, body = issue(client, "county_office")
    assert status == 429
    assert headers["Content-Type"].startswith("application/json")
    assert int(headers["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    assert "锁定" in body["detail"] and "分钟" in body["detail"]
    # another account from the same address is not locked by one account's failures
    assert issue(client, "inspector")[0] == 200


def test_login_page_lockout_is_a_chinese_page(live_server, world, settings):
    browser = Client(live_server.url)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        status, headers, body = browser.form("/login/", {"username": "inspector", "password": f"x{attempt}"})
    assert status == 429 and headers["Content-Type"].startswith("text/html")
    text = body.decode()
    assert "登录失败次数过多" in text and "30 分钟" in text
    assert int(headers["Retry-After"]) == 1800


def test_password_spraying_locks_the_address(live_server, world, settings):
    """A few guesses at many usernames: no pair reaches its limit, the address does."""
    settings.AXES_IP_FAILURE_LIMIT = 8
    settings.ANQUAN_PROXY_COUNT = 1  # the server sits behind one proxy: the client's address is the last hop
    sprayer = Client(live_server.url, headers={"X-Forwarded-For": "203.0.113.7"})
    neighbour = Client(live_server.url, headers={"X-Forwarded-For": "203.0.113.8"})
    names = [n for n in world.users if n != "sysadmin"][:4]
    guesses = 0
    for name in names:
        for guess in ("123456", "Password1"):
            guesses += 1
            status, _, _ = issue(sprayer, name, password=guess)
            assert status == (429 if guesses == settings.AXES_IP_FAILURE_LIMIT else 401), (name, guess)
    assert guesses == 8 < settings.AXES_FAILURE_LIMIT * len(names)
    # the address is locked for every username, a right password included (a valid account does not reset it)
    status, headers, body = issue(sprayer, "sysadmin")
    assert status == 429 and "锁定" in body["detail"] and headers["Retry-After"]
    status, _, _ = sprayer.form("/login/", {"username": "city_office", "password": PASSWORD})
    assert status == 429
    # another address is not
    assert issue(neighbour, "sysadmin")[0] == 200


# ---- password rules ------------------------------------------------------------------------------


def new_user(username, password, region):
    return {"username": username, "role": "grid_worker", "region": region, "password": password}


def test_password_rules_on_the_api(live_server, world, settings):
    settings.ANQUAN_PASSWORD_DENYLIST = ["Jiujiang#2026"]
    client = Client(live_server.url)
    admin = token_of(client, "county_office")["token"]
    cases = {
        "lianxi_gw7!": "相似",  # like the username
        "Anquan@2026": "已公开",  # the published demo password
        " anquan@2026": "已公开",
        "Jiujiang#2026": "已公开",  # the configured deny-list
        "Ab1!": "太短",
        "password": "常见",
    }
    for password, words in cases.items():
        body = new_user("lianxi_gw7", password, world.t1.code)
        status, _, answer = client.call("POST", "/api/v1/users", body, token=admin)
        assert status == 422, (password, answer)
        messages = [e["message"] for e in json.loads(answer)["detail"] if e["field"] == "password"]
        assert any(words in m for m in messages), (password, messages)
        assert all(CHINESE.search(m) and not re.search(r"[A-Za-z]{3,}", m) for m in messages), messages
    similar_name = {**new_user("gw_zhang", "zhangxiaoming1", world.t1.code), "full_name": "zhangxiaoming"}
    status, _, answer = client.call("POST", "/api/v1/users", similar_name, token=admin)
    assert status == 422 and "姓名" in json.loads(answer)["detail"][0]["message"]
    assert not User.objects.filter(username__in=["lianxi_gw7", "gw_zhang"]).exists()
    status, _, _ = client.call(
        "POST", "/api/v1/users", new_user("lianxi_gw7", STRONG, world.t1.code), token=admin
    )
    assert status == 201


def test_demo_password_refused_on_the_page(live_server, world):
    browser = Client(live_server.url)
    browser.login("county_office")
    fields = {"username": "gw_page", "role": "grid_worker", "region": world.t1.code, "full_name": "网格员"}
    status, _, body = browser.form("/users/new/", {**fields, "password": "Anquan@2026"})
    assert status == 200 and "该密码已公开或被禁止使用" in body.decode()
    status, _, body = browser.form("/users/new/", {**fields, "password": "gw_page2026"})
    assert status == 200 and "密码跟 用户名 太相似了" in body.decode()
    status, _, body = browser.form("/users/new/", {**fields, "password": "Ab1!"})
    assert status == 200 and "密码太短，至少需要 8 个字符" in body.decode()
    assert not User.objects.filter(username="gw_page").exists()
    assert browser.form("/users/new/", {**fields, "password": STRONG})[0] == 302


def test_token_page_lists_and_revokes(live_server, world):
    client = Client(live_server.url)
    kept = token_of(client, "township_office", label="值班电脑")
    dropped = token_of(client, "township_office", label="旧手机")
    browser = Client(live_server.url)
    browser.login("township_office")
    status, _, body = browser.call("GET", "/account/tokens/")
    text = body.decode()
    assert status == 200 and "我的API令牌" in text and "值班电脑" in text and "旧手机" in text
    assert kept["token"] not in text and dropped["token"] not in text
    assert browser.form(f"/account/tokens/{dropped['id']}/revoke/", {})[0] == 302
    assert not works(client, dropped["token"]) and works(client, kept["token"])
    assert "已撤销" in browser.call("GET", "/account/tokens/")[2].decode()
    # another user's token is not revocable from the page
    other = token_of(client, "inspector")
    assert browser.form(f"/account/tokens/{other['id']}/revoke/", {})[0] == 404
    assert browser.form("/account/tokens/revoke-all/", {})[0] == 302
    assert not works(client, kept["token"]) and works(client, other["token"])


def test_administrator_token_page_for_users_in_scope(live_server, world):
    client = Client(live_server.url)
    grid = token_of(client, "grid_worker", label="网格通")
    grid_id = world.users["grid_worker"].pk
    admin = Client(live_server.url)
    admin.login("county_office")
    status, _, body = admin.call("GET", f"/users/{grid_id}/tokens/")
    assert status == 200 and "网格通" in body.decode() and grid["token"] not in body.decode()
    assert f'href="/users/{grid_id}/tokens/"' in admin.call("GET", "/users/")[2].decode()
    outsider = Client(live_server.url)
    outsider.login("county_office_b")
    assert outsider.call("GET", f"/users/{grid_id}/tokens/")[0] == 404
    assert outsider.form(f"/users/{grid_id}/tokens/{grid['id']}/revoke/", {})[0] == 404
    assert works(client, grid["token"])
    assert admin.form(f"/users/{grid_id}/tokens/{grid['id']}/revoke/", {})[0] == 302
    assert not works(client, grid["token"])
    assert ApiToken.objects.get(pk=grid["id"]).revoked_reason == "admin"
