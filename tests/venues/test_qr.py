"""One QR code per venue: the PNG/SVG of one venue and the printed A4 label sheet decode (zxing-cpp, pages
rendered by pdfium) to each venue's public address; a large sheet is made by a job."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from anquan.jobs.models import Job
from anquan.venues import services
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _decode_pdf(data: bytes) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(data):
        image = page.render(scale=200 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def _many(world, n):
    actor = world.users["county_office"]
    return [
        services.create_venue(
            actor,
            {
                "kind": "shop",
                "name": f"便民店{i:02d}",
                "address": f"十里大道{i}号",
                "region": world.t1.code,
                "owner_name": "李四",
                "owner_phone": "13900000000",
            },
        )[0]
        for i in range(n)
    ]


def test_one_venue_qr_png_decodes_to_its_public_url(world, venue, settings):
    settings.VENUES_PUBLIC_BASE_URL = "https://aq.jiujiang.example.cn"
    answer = login(world.users["township_office"]).get(f"/venues/{venue.pk}/qr.png")
    assert answer["Content-Type"] == "image/png"
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(answer.content)))
    assert result.text == f"https://aq.jiujiang.example.cn/v/{venue.public_code}/"
    svg = login(world.users["township_office"]).get(f"/venues/{venue.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_label_sheet_decodes_to_every_venues_public_url(world):
    venues = _many(world, 26)  # two A4 pages of 24 labels
    answer = login(world.users["county_office"]).get("/venues/labels.pdf?kind=shop")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert len(pypdfium2.PdfDocument(answer.content)) == 2
    expected = sorted(f"http://testserver/v/{v.public_code}/" for v in venues)
    assert sorted(_decode_pdf(answer.content)) == expected


def test_the_sheet_holds_only_the_users_scope(world, venue):
    answer = login(world.users["county_office_b"]).get("/venues/labels.pdf")
    assert _decode_pdf(answer.content) == []


def test_a_large_sheet_is_a_job_whose_pdf_decodes(world, settings):
    settings.VENUES_SHEET_BACKGROUND = 3
    venues = _many(world, 4)
    client = login(world.users["county_office"])
    answer = client.get("/venues/labels.pdf")
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]
    job = Job.objects.get(kind="venue_labels")
    from anquan.jobs import runner

    runner.execute(job)
    job.refresh_from_db()
    assert job.status == "done" and job.result_name.endswith(".pdf")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    found = _decode_pdf(b"".join(download.streaming_content))
    assert sorted(found) == sorted(f"http://testserver/v/{v.public_code}/" for v in venues)
