"""Helpers for the browser tests: what a user reads off a page, and what a user does on it."""

import io
import re
from contextlib import contextmanager
from urllib.parse import quote_plus

from openpyxl import Workbook, load_workbook

CHEM_T1 = "江西化工测试有限公司"
CHEM_T2 = "九江精细化工有限公司"
BUILD_T1 = "濂溪建筑工程有限公司"
CHEM_XIUSHUI = "修水化学有限公司"
EXPORT_HEADER = [
    "单位名称",
    "统一社会信用代码",
    "所在区域代码",
    "地址",
    "网格编码",
    "纬度",
    "经度",
    "行业类别",
    "规模",
    "从业人数",
    "法定代表人",
    "主要负责人",
    "主要负责人电话",
    "安全管理人员",
    "安全管理人员电话",
    "安全生产标准化等级",
    "是否重点监管",
    "重点监管层级",
    "经营状态",
    "属地监管区域代码",
    "行业监管部门",
    "所在区域",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def submit(page, button):
    """Click a form's submit button and wait for the page it leads to; returns that page's response."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def go_back(page) -> None:
    """The back button, as the page itself would press it (history.back()); follow with wait_for_url.
    Playwright's page.go_back asks the browser for the navigation history and can fail with "Not attached
    to an active page" while Chromium is still swapping the page's renderer after a POST and redirect."""
    page.wait_for_load_state("load")
    page.evaluate("() => { setTimeout(() => history.back(), 0); }")


def table_rows(page) -> list[dict]:
    """The enterprise list as shown: name and credit code of each row."""
    table = page.get_by_test_id("enterprise-table")
    rows = []
    for row in table.locator("tbody tr").all():
        if row.locator("a").count() == 0:  # the "no enterprises match" row
            continue
        rows.append(
            {
                "name": row.locator("td").nth(0).locator("a").inner_text().strip(),
                "uscc": row.locator("td").nth(1).inner_text().strip(),
            }
        )
    return rows


def search_list(page, text: str):
    """Type into the list's own search field and submit it with Enter, as a user does."""
    field = page.locator("#f-q")
    field.fill(text)
    field.press("Enter")
    # anchored, so that "jxhg" does not match the URL of an earlier search for "jxhgcs"
    page.wait_for_url(re.compile(r"/enterprises/\?(.*&)?q=" + re.escape(quote_plus(text)) + "(&|$)"))


def download_export(page) -> list[tuple]:
    """Click "export", capture the download and read it back with openpyxl: the header and the rows, below the
    export's title and "截至" rows."""
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    with open(download.path(), "rb") as file:  # the saved artifact has no .xlsx suffix: read the bytes
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True)
    rows = [
        tuple("" if v is None else v for v in row)
        for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)
    ]
    workbook.close()
    return rows


def exported_codes(rows: list[tuple]) -> dict[str, str]:
    """uscc → name of the data rows, after checking the header row."""
    assert list(rows[0]) == EXPORT_HEADER
    codes = {row[1]: row[0] for row in rows[1:]}
    assert len(codes) == len(rows) - 1, "an enterprise appears twice in the export"
    return codes


def open_enterprise(page, name: str):
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(re.compile(r"/enterprises/\d+/$"))
    assert page.locator("h1").inner_text().startswith(name)


def pick_region(page, picker: str, level: int, code: str):
    """Choose `code` in the picker's `level`-th select and wait until HTMX has swapped the new picker in
    and settled (only then are the new selects live: choosing earlier would be lost, for a user too)."""
    # (only the picker's own swap counts: other htmx requests settle too, e.g. the menu's to-do count after the page)
    page.evaluate(
        """(picker) => { window.__aqSettled = false;
        const settled = (event) => {
            if (!event.target.closest || !event.target.closest(`#picker-${picker}`)) return;
            window.__aqSettled = true;
            document.body.removeEventListener("htmx:afterSettle", settled);
        };
        document.body.addEventListener("htmx:afterSettle", settled); }""",
        picker,
    )
    root = page.get_by_test_id(f"region-picker-{picker}")
    root.locator("select").nth(level).select_option(code)
    page.wait_for_function(
        """([picker, code]) => window.__aqSettled
            && document.querySelector(`#picker-${picker} input[type=hidden]`).value === code""",
        arg=[picker, code],
    )
    return page.get_by_test_id(f"region-picker-{picker}")


def workbook_bytes(rows: list[dict]) -> bytes:
    from anquan.enterprises.validation import FIELDS

    # the export names the industry (行业类别), the template asks for its code (行业类别代码)
    assert [("行业类别" if f.name == "industry" else f.label) for f in FIELDS] == EXPORT_HEADER[: len(FIELDS)]
    wb = Workbook()
    ws = wb.active
    ws.append([f.label for f in FIELDS])
    for row in rows:
        ws.append([row.get(f.name) for f in FIELDS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(page, data: bytes, mode_id: str):
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "企业导入.xlsx", "mimeType": XLSX, "buffer": data}]
    )
    page.locator(f"#{mode_id}").check()
    submit(page, page.locator("form[enctype='multipart/form-data'] button"))
    return page.get_by_test_id("import-result")


# --- hazards ---------------------------------------------------------------------------------


def hazard_status(page) -> str:
    """The status badge of the hazard page (the first badge: 待受理, 已确认, 整改中 …)."""
    return page.get_by_test_id("hazard-status").locator(".badge").first.inner_text().strip()


def hazard_badges(page) -> list[str]:
    """Every badge next to the hazard's title: the status, then 重大 / 超期 / 挂牌 where they apply."""
    return [b.strip() for b in page.get_by_test_id("hazard-status").locator(".badge").all_inner_texts()]


def timeline(page) -> list[str]:
    """The steps of the hazard's history, oldest first, as the timeline names them."""
    return [t.strip() for t in page.get_by_test_id("timeline").locator(".aq-event strong").all_inner_texts()]


def flash_messages(page) -> list[str]:
    """The messages shown above the page's content after an action (success or error)."""
    return [t.strip() for t in page.locator("main > .alert").all_inner_texts()]


def hazard_action(page, action: str, **fields):
    """Fill the named fields of an action form on the hazard page (data-testid="form-<action>") and
    submit it; returns the page it leads to."""
    form = page.get_by_test_id(f"form-{action}")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    button = form.locator("button[type=submit]")
    if form.get_attribute("data-aq-confirm") is not None:  # an irreversible step asks first (field.js)
        button.click()
        return submit(page, page.get_by_test_id("confirm-dialog").get_by_role("button", name="确定"))
    return submit(page, button)


def pick_enterprise(page, text: str, uscc: str):
    """Type into the report form's enterprise search, wait until HTMX has swapped the suggestions in and
    settled, and click the suggestion with this credit code (which fills the hidden `enterprise` field)."""
    page.evaluate("""() => { window.__aqSettled = false;
        document.body.addEventListener("htmx:afterSettle", () => { window.__aqSettled = true; }); }""")
    page.locator("#r-find").press_sequentially(text)
    suggestion = page.locator(f"#r-found [data-aq-fill][data-value='{uscc}']")
    page.wait_for_function(
        """(uscc) => window.__aqSettled
            && document.querySelector(`#r-found [data-aq-fill][data-value='${uscc}']`) !== null""",
        arg=uscc,
    )
    suggestion.click()
    page.wait_for_function(
        "(uscc) => document.querySelector('form input[type=hidden][name=enterprise]').value === uscc",
        arg=uscc,
    )


def ledger_rows(page) -> list[dict]:
    """The hazard ledger as shown: id (from the link), business number, place and description of each row."""
    rows = []
    for row in page.get_by_test_id("hazard-table").locator("tbody tr").all():
        if row.locator("a").count() == 0:  # the "no hazards match" row
            continue
        cells = row.locator("td")
        rows.append(
            {
                "id": int(cells.nth(0).locator("a").get_attribute("href").strip("/").split("/")[-1]),
                "number": cells.nth(0).inner_text().strip(),
                "place": cells.nth(1).inner_text().strip(),
                "description": cells.nth(3).inner_text().strip(),
            }
        )
    return rows


@contextmanager
def answer_lost(page, url_pattern: str):
    """The next request to `url_pattern` (a CDP glob) reaches the server and is answered, but the
    answer never reaches the browser, as on a phone with a weak network: the page stays as it was.
    Yields a list that receives the status of the lost answer."""
    cdp = page.context.new_cdp_session(page)
    lost = []

    def paused(event):
        lost.append(event.get("responseStatusCode"))
        cdp.send("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": "Aborted"})

    cdp.on("Fetch.requestPaused", paused)
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": url_pattern, "requestStage": "Response"}]})
    try:
        with page.expect_event("requestfailed"):
            yield lost
    finally:
        cdp.send("Fetch.disable")
        cdp.detach()
