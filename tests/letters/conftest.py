"""Letters of 九江市's office (the world's city_office) to 修水县 (county_office_b) and 濂溪区 (county_office)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anquan.letters import services

XIUSHUI, LIANXI, CITY = "360424", "360402", "360400"


def png(name: str = "整改照片.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def raw(**over) -> dict:
    base = {
        "kind": "supervision",
        "recipient_region": XIUSHUI,
        "subject": "加快重大事故隐患整改",
        "body": "你县某化工企业重大事故隐患整改进展缓慢。\n请高度重视。",
        "required_actions": "十日内完成整改\n书面报告整改情况",
        "reply_due": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }
    return base | over


@pytest.fixture
def issued(world):
    """A 督办函 of the city office to 修水县, issued."""
    return services.create_letter(raw(), actor=world.users["city_office"], issue=True)
