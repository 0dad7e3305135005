"""Excel import of personnel with certificates at scale: 5,000 rows all or nothing, with per-row errors."""

from __future__ import annotations

import datetime as dt
import io
import time

from openpyxl import Workbook

from anquan.personnel import excel, idnumber
from anquan.personnel.models import Certificate, Person

HEADER = [title for _, title, _ in excel.COLUMNS]


def workbook(uscc: str, rows: int, bad: dict[int, dict] | None = None) -> bytes:
    """`rows` people, each with a special-operation certificate; `bad` maps a sheet row number to overrides."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(rows):
        sheet_row = i + 2
        values = {
            "enterprise": uscc,
            "name": f"工人{i}",
            "id_number": _unique_id(i),
            "posts": "特种作业人员",
            "hired_on": "2024-01-01",
            "phone": "",
            "kind": "特种作业操作证",
            "job_code": "1.2",
            "number": f"T3604{i:08d}",
            "issuing_authority": "九江市应急管理局",
            "issued_on": "2025-01-01",
            "expires_on": "2031-01-01",
        }
        values.update((bad or {}).get(sheet_row, {}))
        ws.append([values[name] for name, _, _ in excel.COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _unique_id(i: int) -> str:
    # born 1980-01-01 + i days keeps every number distinct and valid
    born = dt.date(1980, 1, 1) + dt.timedelta(days=i)
    body = f"360402{born:%Y%m%d}{i % 1000:03d}"
    return body + idnumber.check_digit(body)


def test_5000_rows_import_in_one_go(world, record_property):
    manager = world.users["enterprise_manager"]
    data = workbook(world.chem_t1.uscc, 5000)
    started = time.perf_counter()
    result = excel.import_workbook(data, actor=manager, dry_run=False)
    took = time.perf_counter() - started
    record_property("seconds", round(took, 1))
    print(f"\npersonnel import 5000 rows: {took:.1f} s")
    assert result.errors == [] and result.file_error == ""
    assert (result.people, result.certificates) == (5000, 5000)
    assert Person.objects.filter(enterprise=world.chem_t1).count() == 5000
    assert (
        Certificate.objects.filter(person__enterprise=world.chem_t1, job_name="低压电工作业").count() == 5000
    )


def test_a_file_with_errors_imports_nothing_and_names_the_rows(world):
    manager = world.users["enterprise_manager"]
    bad_id = _unique_id(1)[:-1] + ("0" if _unique_id(1)[-1] != "0" else "1")
    data = workbook(
        world.chem_t1.uscc,
        5000,
        bad={
            3: {"id_number": bad_id},  # check digit wrong
            1200: {"job_code": "99.9", "expires_on": "2020-01-01"},  # unknown job, expiry before issue
            4999: {
                "number": "T360400000010",
                "enterprise": "91360402MA00000000",
            },  # duplicate in file, unknown USCC
        },
    )
    result = excel.import_workbook(data, actor=manager, dry_run=False)
    assert result.bad_rows == [3, 1200, 4999]
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "校验位" in messages[(3, "身份证号码")]
    assert "特种作业目录" in messages[(1200, "特种作业工种代码")]
    assert "有效期至不能早于发证日期" in messages[(1200, "有效期至")]
    assert "重复" in messages[(4999, "证书编号")]
    assert "不存在" in messages[(4999, "企业统一社会信用代码")]
    assert Person.objects.count() == 0 and Certificate.objects.count() == 0


def test_a_certificate_number_already_registered_is_refused(world):
    manager = world.users["enterprise_manager"]
    assert (
        excel.import_workbook(workbook(world.chem_t1.uscc, 3), actor=manager, dry_run=False).certificates == 3
    )
    again = workbook(world.chem_t1.uscc, 3)
    result = excel.import_workbook(again, actor=manager, dry_run=False)
    assert {(e.row, e.message) for e in result.errors if e.column == "证书编号"} == {
        (2, "此证书编号已登记"),
        (3, "此证书编号已登记"),
        (4, "此证书编号已登记"),
    }
    assert Certificate.objects.count() == 3


def test_a_person_on_several_rows_or_already_registered_gets_the_certificates(world):
    """One person per (enterprise, ID number): a second row of the file, or a later file, adds its certificate."""
    manager = world.users["enterprise_manager"]
    same = {"id_number": _unique_id(0), "name": "工人0"}
    first = excel.import_workbook(
        workbook(world.chem_t1.uscc, 2, {3: {**same, "job_code": "1.1"}}), actor=manager, dry_run=False
    )
    assert (first.errors, first.people, first.certificates) == ([], 1, 2)
    later = workbook(world.chem_t1.uscc, 1, {2: {**same, "number": "T3604LATER01", "job_code": "2.1"}})
    second = excel.import_workbook(later, actor=manager, dry_run=False)
    assert (second.errors, second.people, second.certificates) == ([], 0, 1)
    person = Person.objects.get()
    assert sorted(person.certificates.values_list("job_code", flat=True)) == ["1.1", "1.2", "2.1"]
