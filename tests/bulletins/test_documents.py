"""Generated bulletins as documents: the seeds' own figures (1-11月 99起/104人 against 131起/112人 →
"同比分别下降24.4%、7.1%") read back from the .docx, its tables, its charts and its optional sections."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from docx import Document

from anquan.accidents import phrasing, stats
from anquan.bulletins import charts, generate
from anquan.bulletins.models import Bulletin
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry

from .conftest import TODAY, docx_text, read_docx, table_rows

pytestmark = pytest.mark.django_db

YOY = "同比分别下降24.4%、7.1%"


def make(user, kind, region="360400", **period):
    raw = {"kind": kind, "region": region, "year": 2026, "confirm_incomplete": True, **period}
    bulletin = generate.generate(user, raw, today=TODAY)
    with bulletin.file.open("rb") as handle:
        return bulletin, read_docx(handle.read())


def cell(current, base, unit):
    return phrasing.change(current, base, unit=unit, prefix="", base_name="上年")


def test_monthly_dispatch_states_the_month_and_the_year_to_date(world, jiujiang_history):
    city = world.users["city_office"]
    bulletin, document = make(city, "monthly_dispatch", month=11)
    text = docx_text(document)
    assert bulletin.title == "九江市2026年11月安全生产月调度"
    assert "九江市安全生产委员会办公室" in text and "安全生产月调度" in text and "2026年12月1日" in text
    assert "1-11月，全市共发生生产安全事故99起、死亡104人，" + YOY in text
    november = stats.compute(city, "360400", "2026-11-01", "2026-11-30")
    assert november["summary"] in text and "与上月（" in text  # the month itself, and against October
    assert "隐患排查治理" not in text  # no hazards in this world: the section is left out, not faked
    assert "执法" not in text and "专项整治" not in text  # modules that do not exist have no section

    # table 1: every county of 九江市 with the month, the year to date and its change, then the total
    year = stats.compute(city, "360400", "2026-01-01", "2026-11-30")
    month = {r["key"]: r for r in november["items"]}
    expected = [["地区", "本月起数", "本月死亡", "累计起数", "累计死亡", "起数同比", "死亡同比"]]
    for r in year["items"]:
        m = month[r["key"]]
        expected.append(
            [
                r["label"],
                str(m["count"]),
                str(m["deaths"]),
                str(r["count"]),
                str(r["deaths"]),
                cell(r["count"], r["count_last_year"], "起"),
                cell(r["deaths"], r["deaths_last_year"], "人"),
            ]
        )
    expected.append(["合计", "9", "9", "99", "104", "下降24.4%", "下降7.1%"])
    assert table_rows(document.tables[0]) == expected
    assert len(expected) == 15  # 13 counties

    # the chart is embedded as a PNG image
    assert len(document.inline_shapes) == 1
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert images and images[0].blob.startswith(b"\x89PNG")

    # stored under MEDIA_ROOT/bulletins/, sized, audited
    path = Path(bulletin.file.path)
    assert path.is_relative_to(Path(django_settings.MEDIA_ROOT) / "bulletins") and path.suffix == ".docx"
    assert bulletin.size == path.stat().st_size and bulletin.region_code == "360400"
    entry = AuditEntry.objects.get(model="bulletins.bulletin", object_id=str(bulletin.pk))
    assert entry.action == "create" and entry.actor == city and entry.region_code == "360400"
    assert entry.after["title"] == bulletin.title and entry.after["file"] == bulletin.file.name


def test_quarterly_bulletin_of_the_running_quarter(world, jiujiang_history):
    bulletin, document = make(world.users["city_office"], "quarterly_bulletin", quarter=4)
    text = docx_text(document)
    assert bulletin.title == "九江市2026年第四季度（截至12月1日）安全生产形势通报"
    assert (bulletin.period_start.isoformat(), bulletin.period_end.isoformat()) == (
        "2026-10-01",
        "2026-12-31",
    )
    assert bulletin.data_end.isoformat() == "2026-12-01"  # the quarter is running: figures to today
    assert "10月1日至12月1日，全市共发生生产安全事故18起" in text
    assert "截至12月1日，全市共发生生产安全事故99起、死亡104人，" + YOY in text
    assert "本期尚未结束，数据统计截至2026年12月1日，与上年同期的相同日期比较。" in text
    assert ["物体打击", "99", "104", "131", "下降24.4%"] in table_rows(document.tables[1])
    assert table_rows(document.tables[0])[-1] == ["合计", "18", "18", "99", "104", "下降24.4%", "下降7.1%"]
    assert len(document.inline_shapes) == 2  # by area and by month


def test_yearly_evaluation(world, jiujiang_history):
    bulletin, document = make(world.users["city_office"], "yearly_evaluation")
    text = docx_text(document)
    assert bulletin.title == "九江市2026年度（截至12月1日）安全生产形势评估总结"
    assert "截至12月1日，全市共发生生产安全事故99起、死亡104人，" + YOY in text
    assert "死亡人数同比上升的有" in text
    rows = table_rows(document.tables[0])
    assert rows[0] == ["地区", "事故起数", "上年同期", "同比", "死亡人数", "上年同期", "同比"]
    assert rows[-1] == ["合计", "99", "131", "下降24.4%", "104", "112", "下降7.1%"]


def test_hazard_section_appears_only_where_there_are_hazards(world, jiujiang_history, hazards):
    city = world.users["city_office"]
    _, document = make(city, "monthly_dispatch", month=11)
    text = docx_text(document)
    assert "三、隐患排查治理情况" in text
    assert (
        "11月，全市共排查发现隐患2项，已整改1项；1-11月累计排查发现隐患2项，已整改1项，整改率50.0%。" in text
    )
    assert "尚有1项隐患未完成整改" in text

    _, quarterly = make(city, "quarterly_bulletin", quarter=4)
    assert "四、隐患排查治理情况" in docx_text(
        quarterly
    ) and "表3  截至12月1日各地隐患排查治理情况" in docx_text(quarterly)
    hazard_rows = table_rows(quarterly.tables[2])
    assert ["濂溪区", "2", "1", "50.0%", "1", "0"] in hazard_rows and hazard_rows[-1][0] == "合计"

    # 修水县 has accidents but no hazards: no hazard section in its bulletin
    _, xiushui = make(city, "monthly_dispatch", region="360424", month=11)
    assert "隐患" not in docx_text(xiushui).replace("隐患按发现时间统计", "")


def test_sections_without_content_are_left_out_and_the_rest_renumbered(world, jiujiang_history):
    """A township whose villages are not loaded has no child areas: no by-area section, table or chart."""
    township = world.users["township_office"]
    _, document = make(township, "quarterly_bulletin", region=world.t1.code, quarter=4)
    text = docx_text(document)
    assert "一、生产安全事故总体情况" in text and "二、事故类型和月度走势" in text
    assert "各地事故情况" not in text and "图1  截至12月1日各月事故起数" in text
    assert "共发生生产安全事故0起、死亡0人" in text
    assert len(document.tables) == 0 and len(document.inline_shapes) == 1  # no accidents: no category table


def test_a_county_bulletin_holds_only_the_county(world, jiujiang_history):
    county = world.users["county_office"]
    _, document = make(county, "yearly_evaluation", region="360402")
    text = docx_text(document)
    own = stats.compute(county, "360402", "2026-01-01", "2026-12-01")
    assert "濂溪区安全生产委员会办公室" in text and own["summary"] in text and "截至12月1日，全区" in text


def test_input_is_checked_with_chinese_messages(world):
    city = world.users["city_office"]

    def errors(raw):
        with pytest.raises(ValidationFailed) as caught:
            generate.generate(city, {"region": "360400", "year": 2026, **raw}, today=TODAY)
        return {e.field: e.message for e in caught.value.errors}

    assert "公报类型" in errors({"kind": "weekly"})["kind"]
    assert errors({"kind": "monthly_dispatch"})["month"] == "请选择月份"
    assert "1至4" in errors({"kind": "quarterly_bulletin", "quarter": 5})["quarter"]
    assert "尚未开始" in errors({"kind": "monthly_dispatch", "year": 2027, "month": 1})["month"]
    # December has begun but not ended: a warning, and nothing generated until it is confirmed
    warning = errors({"kind": "monthly_dispatch", "month": 12})["confirm_incomplete"]
    assert warning.startswith("2026年12月尚未结束：数据统计截至12月1日，与上年同期的相同日期比较")
    assert "尚未开始" in errors({"kind": "yearly_evaluation", "year": 2027})["year"]
    assert (
        errors({"kind": "yearly_evaluation", "region": "360100"})["region"]
        == "区域不存在或不在您的管辖范围内"
    )
    assert not Bulletin.objects.exists()
    with pytest.raises(NotPermitted):
        generate.generate(
            world.users["emergency_supervisor"],
            {"kind": "yearly_evaluation", "region": "360402", "year": 2026},
            today=TODAY,
        )


def test_a_province_can_replace_a_template(world, jiujiang_history, settings, tmp_path):
    custom = Document()
    custom.add_paragraph("赣安委办〔{{ period.year }}〕月调度")
    custom.add_paragraph("{{ ytd.summary }}")
    custom.save(tmp_path / "monthly_dispatch.docx")
    settings.BULLETIN_TEMPLATE_DIR = str(tmp_path)
    _, document = make(world.users["city_office"], "monthly_dispatch", month=11)
    assert [p.text for p in document.paragraphs][0] == "赣安委办〔2026〕月调度"
    assert YOY in docx_text(document)
    # the kinds it did not replace keep the default
    _, quarterly = make(world.users["city_office"], "quarterly_bulletin", quarter=4)
    assert "安全生产季度通报" in docx_text(quarterly)

    broken = Document()
    broken.add_paragraph("{{ ytd.summary ")
    broken.save(tmp_path / "monthly_dispatch.docx")
    with pytest.raises(ValidationFailed) as caught:
        make(world.users["city_office"], "monthly_dispatch", month=11)
    assert "monthly_dispatch.docx" in caught.value.errors[0].message


def test_charts_use_a_font_with_chinese_glyphs():
    assert charts.cjk_font()  # DESIGN: fonts-wqy-microhei is installed by set-up
