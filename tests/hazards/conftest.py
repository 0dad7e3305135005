import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.accounts.services import create_user
from anquan.hazards import services as reporting
from anquan.hazards.models import JudgementItem

from ..conftest import PASSWORD

# a real 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))  # a Monday


def photo(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def safety_officer(world):
    """A second account of the same enterprise (its safety manager), so someone other than the submitter can accept."""
    return create_user(
        actor=None,
        username="safety_officer",
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=world.chem_t1.uscc,
    )


def evidence(hazard, actor):
    return [reporting.add_attachment(hazard, photo(), stage="evidence", actor=actor).pk]


def chemical_item(no: int) -> JudgementItem:
    return JudgementItem.objects.get(standard__code="chemical", clause=f"第{no}项")


def inspected(world, *, deadline: str, description: str = "x", major_item: int | None = None, now=NOW):
    """A hazard the 应急管理局 inspector found at chem_t1, assigned for rectification by `deadline`
    (with all five assurances when it is major, judged by item `major_item` of the chemical standard)."""
    from anquan.hazards import actions

    raw = {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": description}
    plan = {"responsible_party": "甲", "deadline": deadline}
    if major_item is not None:
        raw["judgement_item"] = chemical_item(major_item).pk
        plan.update(measures="m", funds_yuan="1", contingency_plan="p")
    hazard = reporting.report_hazard(raw, actor=world.users["inspector"], now=now)
    return actions.transition(hazard, "assign", actor=world.users["inspector"], now=now, **plan)
