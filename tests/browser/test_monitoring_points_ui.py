"""Registering a monitoring point as an enterprise's safety manager meets it, at desk width and on a 390 px phone:
the menu's 监测预警 heading leads to 监测点; choosing a kind pre-fills the thresholds of GB/T 50493-2019 5.5.2 (and for
toxic gas computes them from the OEL typed); thresholds out of order are refused beside the field in Chinese and
nothing is stored; corrected, the point is registered and listed (cards on the phone). Screenshots:
var/screens/monitoring-point-error-desk.png, monitoring-point-desk.png, monitoring-point-form-phone.png,
monitoring-points-phone.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_register_a_point_at_desk_width_with_an_error_first(site, world):
    from anquan.monitoring.models import MonitoringPoint

    page = site.login("enterprise_manager")
    # the menu's entry (its Chinese label comes with the lead's catalogue compile: found by its address here)
    page.get_by_test_id("menu").locator("a[href='/monitoring/points/']").click()
    page.get_by_test_id("point-new").click()
    page.wait_for_url("**/monitoring/points/new/")
    page.locator("#p-kind").select_option("combustible_gas")
    # the form's script is deferred: the values come when it has run (at once, or on load for a kind chosen before)
    expect(page.locator("#p-high")).to_have_value("25")
    expect(page.locator("#p-high_high")).to_have_value("50")
    expect(page.locator("#p-unit")).to_have_value("%LEL")
    assert "GB/T 50493-2019" in page.get_by_test_id("setpoint-basis").inner_text()
    page.locator("#p-device_id").fill("GT-501")
    page.locator("#p-name").fill("罐区可燃气体探测器")
    page.locator("#p-high").fill("60")
    page.get_by_test_id("point-save").click()
    error = page.get_by_test_id("error-high_high")
    assert error.inner_text() == "高高报阈值应不小于高报阈值（60）"
    assert page.locator("#p-device_id").input_value() == "GT-501"  # what was typed stays
    site.screenshot("monitoring-point-error-desk")
    assert not MonitoringPoint.objects.exists()
    page.locator("#p-high").fill("20")
    page.get_by_test_id("point-save").click()
    assert page.get_by_test_id("point-device").inner_text() == "GT-501"
    assert "高报 20" in page.get_by_test_id("point-thresholds").inner_text()
    site.screenshot("monitoring-point-desk")
    point = MonitoringPoint.objects.get()
    assert (point.high, point.high_high, point.enterprise) == (20, 50, world.chem_t1)


def test_register_a_toxic_gas_point_on_a_phone(phone_site, world):
    from anquan.monitoring.models import MonitoringPoint

    page = phone_site.login("enterprise_manager")
    page.goto("/monitoring/points/new/")
    assert page.locator("[data-aq-oel]").is_hidden()
    page.locator("#p-kind").select_option("toxic_gas")
    expect(page.locator("[data-aq-oel]")).to_be_visible()
    page.locator("#p-oel").fill("20")
    expect(page.locator("#p-high")).to_have_value("20")
    expect(page.locator("#p-high_high")).to_have_value("40")
    page.locator("#p-device_id").fill("NH3-501")
    page.locator("#p-name").fill("液氨储罐区氨气探测器")
    page.locator("#p-low").fill("30")  # above the high threshold: refused
    phone_site.screenshot("monitoring-point-form-phone")
    page.get_by_test_id("point-save").click()
    assert "高报阈值应大于低报阈值（30）" in page.get_by_test_id("error-high").inner_text()
    page.locator("#p-low").fill("")
    page.get_by_test_id("point-save").click()
    assert page.get_by_test_id("point-device").inner_text() == "NH3-501"
    page.goto("/monitoring/points/")
    cards = page.get_by_test_id("point-cards")
    assert cards.is_visible() and "液氨储罐区氨气探测器" in cards.inner_text()
    assert page.get_by_test_id("point-table").is_hidden()
    phone_site.screenshot("monitoring-points-phone")
    assert MonitoringPoint.objects.get().high_high == 40
