import base64
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from anquan.accidents.grading import grade
from anquan.accidents.models import Accident, AccidentCategory
from anquan.regions.models import Region

TODAY = dt.date(2026, 11, 22)  # generation date the tests pin (the running month is November 2026)


def seed(year: int, deaths: list[int], region_codes: list[str]) -> None:
    """Accidents spread over January–November of `year` and over the given areas
    (the helper of tests/accidents/test_statistics.py)."""
    objs = []
    for n, dead in enumerate(deaths):
        day = dt.date(year, 1 + n % 11, 1 + n % 27)
        when = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))
        edition, code = ("2025", "WSA10001") if day >= dt.date(2026, 7, 1) else ("1986", "01")
        region = Region.objects.get(code=region_codes[n % len(region_codes)])
        objs.append(
            Accident(
                occurred_at=when,
                region=region,
                region_code=region.code,
                address="某地",
                summary="物体打击",
                category=AccidentCategory.objects.get(edition=edition, code=code),
                deaths=dead,
                grade=grade(dead, 0, 0).grade,
            )
        )
    Accident.objects.bulk_create(objs)


@pytest.fixture
def jiujiang_history(world):
    """九江市: 1-11月 99 accidents / 104 deaths this year against 131 / 112 last year."""
    counties = list(Region.objects.filter(parent__code="360400").values_list("code", flat=True))
    seed(2026, [3] + [2] * 3 + [1] * 95, counties)
    seed(2025, [1] * 112 + [0] * 19, counties)
    seed(2024, [5] * 4, counties)  # outside both periods


def read_docx(content: bytes):
    return Document(io.BytesIO(content))


def docx_text(document) -> str:
    """Body paragraphs and table cells, in document order."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# a real 1×1 PNG, as evidence of a rectification
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
FOUND = timezone.make_aware(dt.datetime(2026, 11, 10, 10, 0))  # a Tuesday


@pytest.fixture
def hazards(world):
    """Two hazards found in 濂溪区 in November 2026; one rectified and closed."""
    from anquan.accounts.services import create_user
    from anquan.hazards import actions, reporting

    from ..conftest import PASSWORD

    inspector = world.users["inspector"]
    open_one = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "罐区无紧急切断"},
        actor=inspector,
        now=FOUND,
    )
    closed = reporting.report_hazard(
        {"enterprise": world.chem_t2.uscc, "source": "inspection", "description": "仓库超量储存"},
        actor=inspector,
        now=FOUND,
    )
    actions.transition(
        closed,
        "assign",
        actor=inspector,
        now=FOUND,
        responsible_party="仓库主管",
        deadline="2026-12-10",
        measures="清理超量物料",
        funds_yuan="3000",
    )
    manager = create_user(
        actor=None,
        username="t2_mgr",
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=world.chem_t2.uscc,
    )
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    attachment = reporting.add_attachment(closed, photo, stage="evidence", actor=manager)
    actions.transition(
        closed, "submit", actor=manager, now=FOUND, evidence="已清理", attachments=[attachment.pk]
    )
    actions.transition(closed, "accept_rectification", actor=world.users["emergency_supervisor"], now=FOUND)
    return open_one, closed
