"""The enterprise register as its users meet it in a real browser (headless Debian Chromium).

Each test logs in through the login form, works through the pages and checks what the user
would see (rows, codes, messages, downloaded files), plus the database where "nothing was
created" is the point. Full-page screenshots go to var/screens/ for a human look.
"""

import re

import pytest
from playwright.sync_api import expect

from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .pages import (
    BUILD_T1,
    CHEM_T1,
    CHEM_T2,
    CHEM_XIUSHUI,
    download_export,
    exported_codes,
    go_back,
    open_enterprise,
    pick_region,
    search_list,
    submit,
    table_rows,
    upload,
    workbook_bytes,
)

pytestmark = [pytest.mark.browser]


# --- 1. search by pinyin initials, open, export what is filtered ------------------------------


def test_county_official_finds_by_pinyin_initials_and_exports_the_filtered_list(site, world):
    page = site.login("county_office", screenshot="01-login")
    assert page.get_by_test_id("stat-total").inner_text() == "3"  # 濂溪区: three enterprises, not 修水's
    site.screenshot("02-home")

    # the search box in the top bar
    top_search = page.locator("nav.aq-topbar input[name=q]")
    top_search.fill("jxhgcs")
    top_search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=jxhgcs"))
    hits = page.locator("main .list-group a")
    assert hits.count() == 1
    assert CHEM_T1 in hits.first.inner_text()
    assert world.chem_t1.uscc in hits.first.inner_text()
    hits.first.click()
    page.wait_for_url(f"{site.base_url}/enterprises/{world.chem_t1.pk}/")
    assert page.get_by_test_id("uscc").inner_text() == world.chem_t1.uscc

    # the enterprise list, reached from the sidebar
    page.locator("#sidebar a[href='/enterprises/']").click()
    page.wait_for_url(f"{site.base_url}/enterprises/")
    assert {r["name"] for r in table_rows(page)} == {CHEM_T1, BUILD_T1, CHEM_T2}
    site.screenshot("03-enterprise-list")

    search_list(page, "jxhgcs")
    assert table_rows(page) == [{"name": CHEM_T1, "uscc": world.chem_t1.uscc}]
    open_enterprise(page, CHEM_T1)
    assert page.get_by_test_id("uscc").inner_text() == world.chem_t1.uscc
    assert world.t1.full_name in page.locator("main").inner_text()
    site.screenshot("04-detail")

    go_back(page)
    page.wait_for_url(re.compile(r"q=jxhgcs"))
    assert page.locator("#f-q").input_value() == "jxhgcs"
    assert table_rows(page) == [{"name": CHEM_T1, "uscc": world.chem_t1.uscc}]
    rows = download_export(page)
    assert exported_codes(rows) == {world.chem_t1.uscc: CHEM_T1}
    assert rows[1][2] == world.t1.code  # region code column
    assert rows[1][7] == "危险化学品"  # the industry as users name it, not its code

    # a wider filter: "jxhg" is in 江西化工… and 九江精细化工… (jjjxhg…), not in 濂溪建筑… or 修水…
    search_list(page, "jxhg")
    assert {r["uscc"] for r in table_rows(page)} == {world.chem_t1.uscc, world.chem_t2.uscc}
    assert exported_codes(download_export(page)) == {world.chem_t1.uscc: CHEM_T1, world.chem_t2.uscc: CHEM_T2}


# --- 2. a township sees only its own enterprises ---------------------------------------------


def test_township_user_does_not_see_another_townships_enterprise(site, world):
    page = site.login("township_office")
    page.goto("/enterprises/")
    assert {r["name"] for r in table_rows(page)} == {CHEM_T1, BUILD_T1}
    main = page.locator("main").inner_text()
    for hidden in (CHEM_T2, world.chem_t2.uscc, CHEM_XIUSHUI):
        assert hidden not in main

    # searching for it by name finds nothing either
    top_search = page.locator("nav.aq-topbar input[name=q]")
    top_search.fill(CHEM_T2)
    top_search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("main .list-group a").count() == 0
    assert world.chem_t2.uscc not in page.locator("main").inner_text()

    # its detail URL, typed in directly, answers 404 and shows nothing of it…
    response = page.goto(f"/enterprises/{world.chem_t2.pk}/")
    assert response.status == 404
    site.screenshot("08-not-found")
    body = page.locator("body").inner_text()
    assert CHEM_T2 not in body and world.chem_t2.uscc not in body
    # …while its own enterprise's detail page opens
    response = page.goto(f"/enterprises/{world.chem_t1.pk}/")
    assert response.status == 200
    assert page.get_by_test_id("uscc").inner_text() == world.chem_t1.uscc

    # and the unfiltered export holds exactly the township's two enterprises
    page.goto("/enterprises/")
    assert set(exported_codes(download_export(page))) == {world.chem_t1.uscc, world.build_t1.uscc}


# --- 3. registering through the form, with the cascading region picker ---------------------


def test_registering_an_enterprise_shows_the_credit_code_error_then_saves(site, world):
    good = uscc.make("91", "360402", "31415926")
    wrong_check = next(ch for ch in uscc.CHARSET if ch != good[17])
    bad = good[:17] + wrong_check
    name = "濂溪新登记安全测试有限公司"

    page = site.login("city_office")
    page.goto("/enterprises/")
    page.locator("a[href='/enterprises/new/']").click()
    page.wait_for_url(f"{site.base_url}/enterprises/new/")

    # 九江市 → 濂溪区 → first township: each choice brings the next level's select
    picker = page.get_by_test_id("region-picker-region")
    assert picker.locator("select").count() == 1
    picker = pick_region(page, "region", 0, "360402")
    assert picker.locator("select").count() == 2
    township_options = picker.locator("select").nth(1).locator("option").all_inner_texts()
    assert world.t1.name in township_options and world.t2.name in township_options
    picker = pick_region(page, "region", 1, world.t1.code)
    assert picker.locator("select").nth(0).input_value() == "360402"
    assert picker.locator("select").nth(1).input_value() == world.t1.code

    page.locator("#id_name").fill(name)
    page.locator("#id_uscc").fill(bad)
    page.locator("#id_industry").select_option("hazardous_chemicals")
    page.locator("#id_employee_count").fill("35")
    submit(page, page.locator("form.card button[type=submit]"))

    error = page.get_by_test_id("error-uscc")
    assert error.count() == 1
    assert error.inner_text() == f"统一社会信用代码校验位错误：第18位应为“{good[17]}”"
    # next to the field: in the credit code's own cell, right under its input
    cell = page.locator("#id_uscc").locator("xpath=..")
    assert cell.get_by_test_id("error-uscc").count() == 1
    field_box, error_box = page.locator("#id_uscc").bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 30
    assert abs(error_box["x"] - field_box["x"]) < 30
    assert page.get_by_test_id("error-name").count() == 0
    site.screenshot("05-form-with-errors")
    # nothing was created, and what the user typed and picked is still there
    assert not Enterprise.objects.filter(name=name).exists()
    assert page.locator("#id_uscc").input_value() == bad
    assert page.locator("#id_name").input_value() == name
    assert page.locator("#picker-region input[type=hidden]").input_value() == world.t1.code

    page.locator("#id_uscc").fill(good)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/enterprises/\d+/$"))
    assert page.locator("h1").inner_text().startswith(name)
    assert page.get_by_test_id("uscc").inner_text() == good
    assert world.t1.full_name in page.locator("main").inner_text()
    assert page.locator(".alert-success").count() == 1 and name in page.locator(".alert-success").inner_text()
    created = Enterprise.objects.get(uscc=good)
    assert created.name == name and created.region_id == world.t1.pk and created.employee_count == 35
    assert page.url == f"{site.base_url}/enterprises/{created.pk}/"


# --- 4. Excel import: all or nothing -----------------------------------------------------------


def test_excel_import_all_or_nothing_reports_the_bad_row_and_imports_nothing(site, world):
    region = world.t1.code
    rows = [
        {
            "name": "导入甲化工有限公司",
            "uscc": uscc.make("91", "360402", "27182818"),
            "region": region,
            "industry": "hazardous_chemicals",
            "employee_count": 12,
        },
        {
            "name": "导入乙化工有限公司",
            "uscc": uscc.make("91", "360402", "16180339"),
            "region": region,
            "industry": "hazardous_chemicals",
            "employee_count": -5,
        },
        {
            "name": "导入丙建筑有限公司",
            "uscc": uscc.make("91", "360402", "14142135"),
            "region": region,
            "industry": "construction",
            "employee_count": 80,
        },
    ]
    codes = [r["uscc"] for r in rows]
    data = workbook_bytes(rows)

    page = site.login("county_office")
    page.goto("/enterprises/")
    page.locator("a[href='/enterprises/import/']").click()
    page.wait_for_url(f"{site.base_url}/enterprises/import/")
    assert page.locator("#mode-all").is_checked()  # the safe mode is the default

    result = upload(page, data, "mode-all")
    assert result.is_visible()
    errors = [
        [c.strip() for c in r.locator("td").all_inner_texts()] for r in result.locator("tbody tr").all()
    ]
    assert errors == [["3", "从业人数", "从业人数应为不小于0的整数"]]  # sheet row 3 = the second enterprise
    assert result.locator("strong.text-danger").is_visible()  # "nothing was imported"
    site.screenshot("06-import-result")
    assert not Enterprise.objects.filter(uscc__in=codes).exists()
    page.goto("/enterprises/")
    search_list(page, "导入")
    assert table_rows(page) == []

    # the same file, "valid rows only": the two good rows arrive, the bad one is reported again
    page.goto("/enterprises/import/")
    result = upload(page, data, "mode-valid")
    errors = [
        [c.strip() for c in r.locator("td").all_inner_texts()] for r in result.locator("tbody tr").all()
    ]
    assert errors == [["3", "从业人数", "从业人数应为不小于0的整数"]]
    assert result.locator("strong.text-danger").count() == 0
    assert set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True)) == {
        codes[0],
        codes[2],
    }
    page.goto("/enterprises/")
    search_list(page, "导入")
    assert {r["uscc"] for r in table_rows(page)} == {codes[0], codes[2]}


# --- the list on a phone ---------------------------------------------------------------------


def test_enterprise_list_on_a_phone(phone_site, world):
    page = phone_site.login("county_office")
    page.goto("/enterprises/")
    assert {r["name"] for r in table_rows(page)} == {CHEM_T1, BUILD_T1, CHEM_T2}
    phone_site.screenshot("07-phone-enterprise-list")
    # the sidebar is folded away behind the menu button, which opens it
    sidebar = page.locator("#sidebar")
    assert not sidebar.is_visible()
    page.locator("nav.aq-topbar .navbar-toggler").click()
    expect(sidebar.locator("a[href='/enterprises/']")).to_be_visible()
    page.locator("nav.aq-topbar .navbar-toggler").click()
    # the page itself does not scroll sideways (the wide table scrolls inside its own box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
