import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.accounts.services import create_user
from anquan.hazards import reporting
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
