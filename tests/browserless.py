"""Plain HTTP clients for tests against a live server: `call` / `token_for` as a machine client does
(bearer token, no cookies, no CSRF token), and `Session`, a browser without the browser: a cookie jar and the login form over plain HTTP (urllib), for tests that
call a live server as a user's browser does (session cookie, CSRF token from the form)."""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from .conftest import PASSWORD

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        """(status, headers, body) without following redirects' errors: a 4xx/5xx is returned, not raised."""
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf_token(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        assert status == 200, (path, status, body[:300])
        match = CSRF_FIELD.search(body)
        assert match, f"no CSRF field on {path}"
        return match.group(1).decode()

    def post_form(self, path: str, form: dict):
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token(path), **form})

    def login(self, username: str, password: str) -> None:
        status, _, body = self.post_form("/login/", {"username": username, "password": password})
        assert status == 200 and any(c.name == "sessionid" for c in self.jar), (status, body[:300])


def call(base, method, path, body=None, token=None, content_type="application/json", raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def token_for(base, username):
    status, _, body = call(base, "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    assert status == 200, body
    return json.loads(body)["token"]
