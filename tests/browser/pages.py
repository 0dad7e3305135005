"""Helpers for the browser tests: what a user reads off a page, and what a user does on it."""

import io
import re
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
    "行业类别代码",
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
    "行业类别",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def submit(page, button):
    """Click a form's submit button and wait for the page it leads to; returns that page's response."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


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
    """Click "export", capture the download and read it back with openpyxl."""
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    with open(download.path(), "rb") as file:  # the saved artifact has no .xlsx suffix: read the bytes
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True)
    rows = [
        tuple("" if v is None else v for v in row)
        for row in workbook.worksheets[0].iter_rows(values_only=True)
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
    page.evaluate("""() => { window.__aqSettled = false;
        document.body.addEventListener("htmx:afterSettle", () => { window.__aqSettled = true; }, {once: true}); }""")
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

    assert [f.label for f in FIELDS] == EXPORT_HEADER[: len(FIELDS)]
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
