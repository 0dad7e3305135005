"""The risk notice card (风险告知卡): the .docx holds the point's identification, level, measures by
kind, emergency numbers and a QR code PNG with the point's URL; the download keeps to the scope."""

import io
from urllib.parse import unquote

import pytest
from django.test import RequestFactory
from docx import Document
from PIL import Image

from anquan.riskpoints import cards
from anquan.riskpoints import services as points
from anquan.riskpoints import views as card_views
from anquan.riskpoints.tokens import public_token
from tests.conftest import login

from .helpers import new_point

pytestmark = pytest.mark.django_db

MEASURES = [
    ("engineering", "company", "储罐区设置有毒气体检测报警仪并联锁紧急切断阀"),
    ("management", "workshop", "每班巡检两次并填写巡检记录"),
    ("training", "team", "每季度开展液氯泄漏应急演练"),
    ("ppe", "post", "佩戴正压式空气呼吸器"),
    ("emergency", "post", "泄漏时启动喷淋吸收装置并疏散下风向人员"),
]


@pytest.fixture
def point(world):
    enterprise = world.chem_t1
    enterprise.safety_manager_name = "李安全"
    enterprise.safety_manager_phone = "13900001111"
    enterprise.save(update_fields=["safety_manager_name", "safety_manager_phone"])
    point = new_point(world)
    actor = world.users["enterprise_manager"]
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=actor)  # 270: orange
    for kind, tier, description in MEASURES:
        points.add_measure(point, {"kind": kind, "tier": tier, "description": description}, actor=actor)
    point.refresh_from_db()
    return point


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    parts.extend(p.text for p in doc.sections[0].footer.paragraphs)
    return "\n".join(parts)


def images(doc) -> list[bytes]:
    """The pictures of the document body (not the package thumbnail)."""
    return [part.blob for part in doc.part.related_parts.values() if part.content_type.startswith("image/")]


def test_card_contents(world, point):
    body = cards.build(point, "https://anquan.example.gov.cn/")
    doc = Document(io.BytesIO(body))
    text = all_text(doc)
    for expected in (
        cards.TITLE,
        world.chem_t1.name,
        point.name,
        "厂区东侧",
        "较大风险（橙色）",
        "物的因素、管理因素",
        "张三",
        "LEC法",
        "270",
        "119",
        "120",
        "李安全",
        "13900001111",
        *cards.MEASURE_LABELS.values(),
        *(description for _, _, description in MEASURES),
    ):
        assert expected in text, expected
    assert point.accident_categories.get().name in text
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.page_width < section.page_height
    # header band shaded in the level colour
    assert 'w:fill="FD7E14"' in doc.tables[0]._tbl.xml
    # exactly one picture: the QR code, a valid PNG
    assert len(doc.inline_shapes) == 1
    (png,) = images(doc)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 200
    image.verify()
    data = cards.card_data(point, "https://anquan.example.gov.cn/")
    assert data["url"] == f"https://anquan.example.gov.cn/risk/s/{public_token(point.pk)}/"
    assert png == cards.qr_png(data["url"])  # the QR code opens the public page


def test_measures_grouped_by_kind(world, point):
    points.add_measure(
        point,
        {"kind": "ppe", "tier": "post", "description": "佩戴防化手套", "responsible_person": "王五"},
        actor=world.users["enterprise_manager"],
    )
    measures = cards.card_data(point, "http://testserver/")["measures"]
    assert measures["ppe"] == ["佩戴正压式空气呼吸器（岗位级）", "佩戴防化手套（岗位级·王五）"]
    doc = Document(io.BytesIO(cards.build(point, "http://testserver/")))
    table = doc.tables[2]
    row = next(r for r in table.rows if r.cells[0].text == "个体防护措施")
    assert row.cells[1].text.splitlines() == [
        "1. 佩戴正压式空气呼吸器（岗位级）",
        "2. 佩戴防化手套（岗位级·王五）",
    ]


def test_unassessed_point_without_measures(world):
    point = new_point(world, location="", responsible_person="")
    doc = Document(io.BytesIO(cards.build(point, "http://testserver/")))
    text = all_text(doc)
    assert "未评价" in text and "尚未评价" in text
    assert 'w:fill="6C757D"' in doc.tables[0]._tbl.xml
    assert len(images(doc)) == 1
    measures, phones = doc.tables[2], doc.tables[3]
    assert [row.cells[1].text for row in measures.rows] == ["—"] * 5
    assert [c.text for c in phones.rows[1].cells] == ["119", "120", "—"]  # no safety manager registered


@pytest.mark.parametrize(
    ("level", "label", "fill"),
    [("red", "重大风险", "DC3545"), ("yellow", "一般风险", "FFC107"), ("blue", "低风险", "0D6EFD")],
)
def test_band_colour_follows_level(world, level, label, fill):
    point = new_point(world)
    point.current_level = level  # set directly: only the rendering is under test here
    doc = Document(io.BytesIO(cards.build(point, "http://testserver/")))
    assert label in all_text(doc)
    assert f'w:fill="{fill}"' in doc.tables[0]._tbl.xml


def test_filename():
    class Point:
        pk, name = 7, 'A/B:液氯"罐"'

    assert cards.filename(Point()) == "风险告知卡-A_B_液氯_罐.docx"


def _get(world, persona, pk):
    request = RequestFactory().get(f"/risk/{pk}/card.docx")
    request.user = world.users[persona]
    return card_views.risk_card(request, pk)


def test_view_scope(world, point):
    from django.http import Http404

    with pytest.raises(Http404):
        _get(world, "county_office_b", point.pk)
    with pytest.raises(Http404):
        _get(world, "enterprise_manager", point.pk + 1000)
    response = _get(world, "enterprise_manager", point.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == card_views.DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "风险告知卡-液氯储罐区.docx" in unquote(disposition)
    doc = Document(io.BytesIO(response.content))
    assert point.name in all_text(doc)


@pytest.mark.parametrize(
    ("persona", "status"), [("enterprise_manager", 200), ("county_office", 200), ("county_office_b", 404)]
)
def test_download_through_url(world, point, persona, status):
    response = login(world.users[persona]).get(f"/risk/{point.pk}/card.docx")
    assert response.status_code == status
    if status == 200:
        doc = Document(io.BytesIO(response.content))
        text = all_text(doc)
        assert world.chem_t1.name in text and "佩戴正压式空气呼吸器" in text


def test_anonymous_is_sent_to_login(world, point):
    from django.test import Client

    response = Client().get(f"/risk/{point.pk}/card.docx")
    assert response.status_code == 302


def test_measure_font_shrinks_to_keep_one_page(world, point):
    data = cards.card_data(point, "http://testserver/")
    assert cards.fit(data)[1] == cards.BODY_PT
    text = "设置可燃有毒气体检测报警系统，报警信号接入中控室（岗位级·赵六）"
    data["measures"] = {kind: [text] * 2 for kind in cards.MEASURE_LABELS}
    fitted, size = cards.fit(data)
    assert size < cards.BODY_PT and fitted["measures"] == data["measures"]  # smaller, nothing cut
    data["measures"] = {kind: [text * 3] * 4 for kind in cards.MEASURE_LABELS}
    fitted, size = cards.fit(data)
    assert size == cards.MEASURE_SIZES[-1]  # the smallest, and what does not fit is announced
    assert all(items[-1].startswith("……另有") for items in fitted["measures"].values())


def test_point_page_offers_the_card(world, point):
    page = login(world.users["enterprise_manager"]).get(f"/risk/{point.pk}/").content.decode()
    assert f'href="/risk/{point.pk}/card.docx"' in page and "风险告知卡" in page
