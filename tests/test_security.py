"""Security headers through a real socket, the rule that templates carry no inline script, and the secret-key
rule as an operator meets it (a server process started with a given environment)."""

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ANQUAN = Path(__file__).resolve().parents[1] / "anquan"


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_response_carries_the_policies(live_server, world):
    for path, status in (
        ("/login/", 200),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/hazards", 401),
        ("/no-such-page/", 404),
    ):
        got, headers = get(live_server.url + path)
        assert got == status, path
        policy = headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in directives["style-src-elem"]
        features = dict(f.split("=", 1) for f in headers["Permissions-Policy"].split(", "))
        assert features["camera"] == "(self)" and features["geolocation"] == "(self)"
        assert features["microphone"] == "()" and features["payment"] == "()" and features["usb"] == "()"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP, SECURE_COOKIES off


def test_templates_carry_no_inline_script_or_handler():
    """The policy refuses inline script, so a template that carries one is a page that silently breaks."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
    style_element = re.compile(r"<style[\s>]", re.I)
    found = []
    templates = sorted(ANQUAN.rglob("templates/**/*.html"))
    assert len(templates) > 50
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, style_element):
            found += [f"{template.relative_to(ANQUAN)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert found == []


def start(env_changes: dict, *args) -> subprocess.CompletedProcess | subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_changes, PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "anquan.manage", *args]
    if args[0] == "runserver":
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_the_demo_key_is_refused_unless_debug_is_on(tmp_path):
    db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    refused = start(db, "check")  # what an operator sees who forgot the key
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr

    def settings_load(**env) -> bool:
        environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
        command = [sys.executable, "-c", "import anquan.settings"]
        done = subprocess.run(command, env={**environment, **db, **env}, capture_output=True, text=True)
        assert done.returncode == 0 or "SECRET_KEY is not set" in done.stderr, done.stderr
        return done.returncode == 0

    assert not settings_load(DEBUG="false")
    assert not settings_load(SECRET_KEY="  ")  # blank is not a key
    assert settings_load(DEBUG="true")  # scripts/demo
    assert settings_load(SECRET_KEY="a-real-random-key-" + "x" * 40)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_hsts_and_secure_cookies_behind_a_tls_proxy(tmp_path):
    """SECURE_COOKIES on and the proxy's header named: HTTPS requests (as the proxy marks them) get HSTS and
    Secure cookies; a request that did not come through TLS gets no HSTS."""
    port = free_port()
    server = start(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SECRET_KEY": "a-real-random-key-" + "y" * 40,
            "SECURE_COOKIES": "true",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        },
        "runserver",
        "--noreload",
        "--skip-checks",
        f"127.0.0.1:{port}",
    )
    try:
        for line in server.stdout:  # the server says when it listens: no waiting on time
            if "Quit the server with" in line:
                break
        else:
            pytest.fail("the server stopped before listening")
        base = f"http://127.0.0.1:{port}"
        status, headers = get(base + "/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        cookies = headers.get_all("Set-Cookie")
        assert cookies and all("Secure" in c for c in cookies), cookies
        status, headers = get(base + "/login/")
        assert status == 200
        assert "Strict-Transport-Security" not in headers
        # static files (whitenoise, inside the middleware) carry the policies too
        status, headers = get(base + "/static/js/anquan.js", {"X-Forwarded-Proto": "https"})
        assert status == 200 and headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Permissions-Policy"].startswith("camera=(self)")
    finally:
        server.terminate()
        server.wait(timeout=30)
