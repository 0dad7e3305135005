"""Browser fixtures: Debian's headless Chromium driven by Playwright against pytest-django's live server.

One browser per pytest(-xdist) worker process, reused by every test; each test gets a fresh
context (cookies, downloads, viewport) and page. Nothing is downloaded: the browser is
/usr/bin/chromium, never `playwright install`.

Pages run under the Content-Security-Policy (no eval): give `page.wait_for_function` a function
("() => …"), not a bare expression, which Playwright would evaluate with eval inside the page.
"""

import re
from pathlib import Path

import pytest

from ..conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--lang=zh-CN",  # the browser's own words (file pickers, date placeholders) as a Chinese user sees them
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 30_000  # a wait, not a delay: only a failing step waits this long (CI machines can be loaded)
# Every page reports each Content-Security-Policy violation as a console error; injected through the browser
# (not the page), so the policy does not stop it.
VIOLATION_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
    `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));"""
POLICY_WORDS = ("CSP violation", "Content Security Policy", "Permissions-Policy", "Permissions policy")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/test does)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


class Site:
    """The live server as a user meets it: one browser context, helpers for what every test does."""

    def __init__(self, browser, base_url: str, request, viewport: dict):
        self.base_url = base_url
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        self.context = browser.new_context(
            base_url=base_url,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []  # script errors and broken assets: a user sees an unstyled or dead page
        self.page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        self.page.on("response", self._check_asset)
        # what the Content-Security-Policy or Permissions-Policy refused (a script, style or image that did not
        # load, a handler that did not run) is reported by the page itself and by Chromium's console
        self.context.add_init_script(VIOLATION_REPORTER)
        self.page.on("console", self._check_console)

    def _check_asset(self, response):
        if response.url.startswith(self.base_url + "/static/") and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _check_console(self, message):
        text = message.text
        if message.type == "error" and any(word in text for word in POLICY_WORDS):
            self.problems.append(f"{text} (on {self.page.url})")

    def policy_problems(self) -> list[str]:
        return [p for p in self.problems if any(word in p for word in POLICY_WORDS)]

    def login(self, username: str, password: str = PASSWORD, *, screenshot: str | None = None):
        page = self.page
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        if screenshot:
            self.screenshot(screenshot)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(self.base_url + "/")
        # the top bar names the user: the login really happened
        assert username in page.locator("nav.aq-topbar").text_content()
        return page

    def screenshot(self, label: str, *, full_page: bool = True) -> Path:
        SCREENS.mkdir(parents=True, exist_ok=True)
        path = SCREENS / f"{label}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self, failed: bool):
        if failed:
            try:
                self.screenshot(f"FAILED-{self.name}")
            except Exception:  # the page may be gone; the test failure itself is what matters
                pass
        else:
            (SCREENS / f"FAILED-{self.name}.png").unlink(missing_ok=True)
        self.context.close()


def _failed(request) -> bool:
    return any(
        getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )


@pytest.fixture
def site(browser, live_server, transactional_db, world, request):
    """A desktop browser context on the live server, with the conftest world loaded."""
    s = Site(browser, live_server.url, request, DESKTOP)
    yield s
    s.close(_failed(request))
    assert not s.problems, s.problems


@pytest.fixture
def phone_site(browser, live_server, transactional_db, world, request):
    """The same, on a 390 px wide phone viewport."""
    s = Site(browser, live_server.url, request, PHONE)
    yield s
    s.close(_failed(request))
    assert not s.problems, s.problems
