import base64
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from ..accidents.conftest import jiujiang_history, seed  # noqa: F401 (shared fixture and helper)

TODAY = dt.date(2026, 12, 1)  # generation date the tests pin: November has ended, the fourth quarter runs


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
    from anquan.hazards import actions
    from anquan.hazards import services as reporting

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
