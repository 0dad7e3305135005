"""The regional four-colour map in a real browser: Jiangxi's cities drawn from the vendored boundary
shapes and coloured from the data, a click on 九江市 opens its counties. Screenshots go to
var/screens/risk-map-*.png for a human look."""

import re

import pytest

from anquan.regions.models import Region
from anquan.riskmap import maps

from ..riskpoints.helpers import assessed_point

pytestmark = [pytest.mark.browser]


def _hex(value: str) -> str:
    value = (value or "").strip().lower()
    if value.startswith("rgb"):
        return "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", value)[:3])
    return value


def _fill_of(page, region_name: str) -> tuple[str, float, float]:
    """The fill colour drawn at the centre ECharts gives `region_name`, and that point on the page."""
    found = page.evaluate(
        """(name) => {
            const box = document.getElementById("risk-map");
            const chart = echarts.getInstanceByDom(box);
            const data = chart.getOption().series[0].data;
            const item = data.find((d) => d.name === name || (d.entry && d.entry.name === name));
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, item.name);
            const rect = box.getBoundingClientRect();
            // the shape under the label: the first SVG path at that point
            const el = document.elementsFromPoint(rect.left + x, rect.top + y).find((e) => e.tagName === "path");
            return {fill: el && el.getAttribute("fill"), x: rect.left + x, y: rect.top + y};
        }""",
        region_name,
    )
    return _hex(found["fill"]), found["x"], found["y"]


def test_four_colour_map_of_jiangxi_drills_into_jiujiang(site, world):
    assessed_point(world, world.chem_t1, {"l": 4, "s": 5}, "county_office")  # 濂溪区: red
    assessed_point(world, world.chem_xiushui, {"l": 1, "s": 2}, "county_office_b")  # 修水县: blue
    page = site.login("province_office")
    page.goto("/risk/map/")
    page.wait_for_selector("#risk-map[data-ready='1']")
    # the province's eleven cities are drawn as shapes
    drawn = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('risk-map')).getOption().series[0].data.length"
    )
    assert drawn == 11
    assert page.locator("#risk-map svg path").count() >= 11
    # 九江: 1 of 2 assessed enterprises is red (50 % ≥ the 10 % red share) → red; 南昌: nothing assessed → grey
    fill, x, y = _fill_of(page, "九江市")
    assert fill == maps.COLORS["red"]
    assert _fill_of(page, "南昌市")[0] == maps.COLORS[""]
    assert page.locator("tr[data-code='360400']").get_attribute("data-level") == "red"
    site.screenshot("risk-map-jiangxi")

    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"region=360400"))
    page.wait_for_selector("#risk-map[data-ready='1']")
    names = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('risk-map')).getOption().series[0].data
                 .filter((d) => d.entry).map((d) => d.entry.name)"""
    )
    assert {"濂溪区", "修水县", "柴桑区", "庐山市", "共青城市"} <= set(names) and len(names) == 13
    assert _fill_of(page, "濂溪区")[0] == maps.COLORS["red"]
    assert _fill_of(page, "修水县")[0] == maps.COLORS["blue"]
    assert _fill_of(page, "武宁县")[0] == maps.COLORS[""]  # no enterprise there in this world
    assert "柴桑区" in page.locator("#risk-map").text_content()  # today's name, not the shape's 九江县
    assert page.locator("[data-testid=map-breadcrumb]").text_content().count("江西省") == 1
    site.screenshot("risk-map-jiujiang")


def test_county_office_sees_its_county_inside_the_city(phone_site, world):
    assessed_point(world, world.chem_t1, {"l": 2, "s": 5}, "county_office")  # yellow
    page = phone_site.login("county_office")
    page.goto("/risk/map/")
    page.wait_for_selector("#risk-map[data-ready='1']")
    assert _fill_of(page, "濂溪区")[0] == maps.COLORS["yellow"]
    # no township shapes exist: the county's own outline is drawn alone, cut from the city's shapes
    drawn = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('risk-map')).getOption().series[0].data.length"
    )
    assert drawn == 1
    # its townships in the table (no township shapes exist), the one with the enterprise coloured
    townships = Region.objects.filter(parent__code="360402").count()
    assert page.locator("[data-testid=map-table] tbody tr").count() == townships
    assert page.locator(f"tr[data-code='{world.t1.code}']").get_attribute("data-level") == "yellow"
    phone_site.screenshot("risk-map-county-phone")
