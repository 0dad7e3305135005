"""The import pages: refusals shown under their field (422), a mapping refused under its name, another county 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anquan.campaigns.importing import services

from ..conftest import login
from .import_fixtures import gaoan_fixture, seed_text  # noqa: F401

pytestmark = pytest.mark.django_db


def test_refusals_are_shown_under_their_field(gaoan):
    campaign, office = gaoan
    client = login(office)
    url = f"/campaigns/{campaign.pk}/import/"
    assert client.get(url).status_code == 200
    reply = client.post(url, {"text": "一、总体要求\n全面落实安全生产责任。"})
    assert reply.status_code == 422
    assert (
        'data-testid="error-text"' in reply.content.decode()
        and "没有找到编号的任务" in reply.content.decode()
    )
    wrong = SimpleUploadedFile("清单.docx", b"PK\x03\x04 not a workbook")
    reply = client.post(url, {"text": "", "file": wrong})
    assert reply.status_code == 422 and "请上传 .xlsx 格式的Excel文件" in reply.content.decode()
    preview = services.preview_text(campaign, seed_text(), actor=office)
    reply = client.post(f"/campaign-imports/{preview.pk}/map/", {"text": "市委宣传部", "kind": "department"})
    assert reply.status_code == 422 and "请选择部门" in reply.content.decode()


def test_an_office_of_another_county_gets_404(gaoan, world):
    campaign, office = gaoan
    preview = services.preview_text(campaign, seed_text(), actor=office)
    other = login(world.users["county_office"])
    assert other.get(f"/campaigns/{campaign.pk}/import/").status_code == 404
    assert other.post(f"/campaigns/{campaign.pk}/import/", {"text": seed_text()}).status_code == 404
    assert other.get(f"/campaigns/{campaign.pk}/tasks.xlsx").status_code == 404
    assert other.get(f"/campaign-imports/{preview.pk}/").status_code == 404
    assert (
        other.post(
            f"/campaign-imports/{preview.pk}/map/", {"text": "市委宣传部", "kind": "text_only"}
        ).status_code
        == 404
    )
    assert other.post(f"/campaign-imports/{preview.pk}/apply/").status_code == 404
    preview.refresh_from_db()
    assert preview.status == "preview"
