"""The Content-Security-Policy and Permissions-Policy as a browser enforces them: the main pages (charts, the
four-colour map, the region picker's HTMX, the API docs) work with no violation reported, the print button and
"use my location" still work, the photo field still opens a file chooser, and a script injected into a page
does not run. Every browser test also fails on any reported violation (conftest.Site)."""

import re

import pytest

from ..riskpoints.helpers import assessed_point
from .pages import pick_region

pytestmark = [pytest.mark.browser]

PAINTED = """(selector) => { const c = document.querySelector(selector + " canvas");
    if (!c) return false;
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n > 1000; }"""


def open_page(site, path: str):
    response = site.page.goto(path)
    assert response.status == 200, (path, response.status)
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "script-src 'self';" in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["permissions-policy"].startswith("camera=(self), geolocation=(self), ")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP, SECURE_COOKIES off
    return site.page


def test_main_pages_work_under_the_policies(site, world):
    assessed_point(world, world.chem_t1, {"l": 4, "s": 5}, "county_office")  # 濂溪区 red on the map
    site.context.grant_permissions(["geolocation"])
    site.context.set_geolocation({"latitude": 29.7051, "longitude": 116.0019})
    site.login("city_office")

    for path in (
        "/",
        "/enterprises/",
        f"/enterprises/{world.chem_t1.pk}/",
        "/hazards/",
        "/risk/",
        "/accidents/",
    ):
        open_page(site, path)

    # charts drawn by ECharts from the json_script data through static js/charts.js
    page = open_page(site, "/hazards/stats/")
    page.wait_for_function(PAINTED, arg="[data-aq-chart=hazard-stats]")
    # the region picker swaps its selects in with HTMX (no eval, no injected styles)
    pick_region(page, "region", 0, "360402")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"region=360402"))
    assert "濂溪区" in page.locator("h1").inner_text()

    page = open_page(site, "/bulletins/dashboard/?period=quarter")
    page.wait_for_function(PAINTED, arg="[data-aq-chart=accident-dashboard]")
    # the period switch shows the quarter field, not the month field (data-aq-switch in anquan.js)
    assert page.locator("#d-quarter").is_visible() and not page.locator("#d-month").is_visible()
    page.locator("#d-period").select_option("month")
    assert page.locator("#d-month").is_visible() and not page.locator("#d-quarter").is_visible()

    page = open_page(site, "/risk/reports/coverage/")
    page.wait_for_function(PAINTED, arg="[data-aq-chart=report-coverage]")

    page = open_page(site, "/risk/map/?region=360400")
    page.wait_for_selector("#risk-map[data-ready='1']")
    assert page.locator("#risk-map svg path").count() >= 13
    assert page.evaluate("() => getComputedStyle(document.getElementById('risk-map')).height") == "560px"
    # the print button (data-aq-print, no onclick=) calls the browser's print
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("() => window.__printed") == 1

    # the hazard report form: photo field opens a chooser; "use my location" reads the position
    page = open_page(site, "/hazards/new/")
    assert page.locator("#r-photos").get_attribute("capture") == "environment"
    with page.expect_file_chooser() as chooser:
        page.locator("label[for=r-photos]").click()
    assert chooser.value.is_multiple()
    page.locator("[data-aq-locate]").click()
    page.wait_for_function("() => document.querySelector('input[name=latitude]').value === '29.705100'")
    assert page.locator("[data-aq-location]").inner_text() == "29.705100, 116.001900"
    # the policy the page runs under: camera and location for the site itself, the microphone for nobody
    allowed = page.evaluate(
        """() => ["camera", "geolocation", "microphone", "usb", "payment"].map(
            (f) => document.featurePolicy.allowsFeature(f))"""
    )
    assert allowed == [True, True, False, False, False]

    # the API's interactive docs: Swagger UI from the app's own static files
    page = open_page(site, "/api/v1/docs")
    page.locator(".opblock").first.wait_for(
        timeout=30_000
    )  # Swagger UI lays out 200+ operations: slow on a busy machine
    assert page.locator(".opblock").count() > 50

    assert site.problems == [], site.problems


def test_an_injected_script_does_not_run(site, world):
    page = site.login("county_office")
    open_page(site, "/enterprises/")
    # what a stored XSS would put into a page: an inline script and an inline handler
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.__injected = true;";
            document.body.append(s);
            const b = document.createElement("button");
            b.id = "evil"; b.textContent = "x"; b.setAttribute("onclick", "window.__clicked = true");
            document.body.append(b);
        }"""
    )
    page.locator("#evil").click()
    assert page.evaluate("() => [window.__injected, window.__clicked]") == [None, None]

    # and the browser reported both refusals (the listener every browser test relies on works);
    # the click's report arrives after the click returns, so wait for it (up to 5 s)
    def reported():
        return [p for p in site.policy_problems() if "CSP violation: script-src" in p]

    for _ in range(50):
        if len(reported()) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(reported()) == 2, site.problems
    site.problems.clear()
