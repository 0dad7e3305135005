"""Key-post personnel for the every-operation test (issue #17 part 1, personnel17): a special-operation worker of the
seeded enterprise with a certificate and a training record; the enterprise's manager makes every write."""

from __future__ import annotations


def _id(seeds, salt: int) -> str:
    from anquan.personnel import idnumber

    now = seeds.keys["now"]
    body = f"360402198{salt}0101{now.microsecond % 1000:03d}"
    return body + idnumber.check_digit(body)


def seed_personnel(world) -> dict:
    import datetime as dt
    from decimal import Decimal

    from anquan.personnel import services

    manager = world.users["enterprise_manager"]
    person = services.save_person(
        manager,
        services.PersonInput(
            enterprise=world.chem_t1,
            name="种子焊工",
            id_number="11010519491231002X",
            posts=["special_worker"],
        ),
    )
    certificate = services.add_certificate(
        manager,
        person,
        services.CertificateInput(
            kind="special_operation",
            number="36040220260001",
            issuing_authority="九江市应急管理局",
            issued_on=dt.date(2025, 1, 1),
            expires_on=dt.date(2031, 1, 1),
            job_code="2.1",
        ),
    )
    services.add_training(
        manager,
        person,
        services.TrainingInput(
            course="焊接与热切割作业复审培训",
            kind="yearly",
            hours=Decimal(8),
            held_on=dt.date(2026, 3, 1),
            result="pass",
        ),
    )
    return {"person_id": person.pk, "certificate_id": certificate.pk, "personnel_uscc": world.chem_t1.uscc}


def _import_file(seeds) -> bytes:
    """One new worker with a certificate, in the import template's columns (issue #17 item 3, pimport17)."""
    import io

    from openpyxl import Workbook

    from anquan.personnel import excel

    row = {
        "enterprise": seeds.ids["personnel_uscc"],
        "name": "导入焊工",
        "id_number": _id(seeds, 2),
        "posts": "特种作业人员",
        "kind": "特种作业操作证",
        "job_code": "1.2",
        "number": f"IMP-{seeds.keys['now'].strftime('%H%M%S%f')}",
        "issuing_authority": "九江市应急管理局",
        "issued_on": "2025-01-01",
        "expires_on": "2031-01-01",
    }
    wb = Workbook()
    wb.active.append([title for _, title, _ in excel.COLUMNS])
    wb.active.append([row.get(name, "") for name, _, _ in excel.COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERRIDES = {
    "POST /api/v1/personnel/import": {
        "persona": "enterprise_manager",
        "body": lambda seeds: {"mode": "import", "file": ("人员.xlsx", _import_file(seeds), XLSX)},
    },
    "POST /api/v1/personnel": {
        "persona": "enterprise_manager",
        "body": lambda seeds: {"name": "新登记人员", "id_number": _id(seeds, 1), "posts": ["special_worker"]},
    },
    "PATCH /api/v1/personnel/{person_id}": {
        "persona": "enterprise_manager",
        "body": {"phone": "13800000017"},
    },
    "POST /api/v1/certificates": {
        "persona": "enterprise_manager",
        "body": lambda seeds: {
            "person": seeds.ids["person_id"],
            "kind": "special_operation",
            "job_code": "1.2",
            "number": f"LIVE-{seeds.keys['now'].strftime('%H%M%S%f')}",
            "issuing_authority": "九江市应急管理局",
            "issued_on": "2025-01-01",
            "expires_on": "2031-01-01",
        },
    },
    "POST /api/v1/trainings": {
        "persona": "enterprise_manager",
        "body": lambda seeds: {
            "person": seeds.ids["person_id"],
            "course": "年度安全再培训",
            "kind": "yearly",
            "hours": 12,
            "held_on": "2026-03-01",
            "result": "pass",
        },
    },
}
