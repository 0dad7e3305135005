"""Versioned rule data (ADR 0022): the figure in force on a day, a province's own figures, versions added
(never edited) over the API with a token and through the page, bad figures refused field by field."""

import json
from datetime import date

import pytest

from anquan.core.models import AuditEntry
from anquan.rules import services
from anquan.rules.models import RuleVersion

from ..browserless import Session, call, token_for
from ..conftest import PASSWORD

KEY = "example.case_figures"


def test_the_version_in_force_follows_the_date(db):
    before = services.in_force(KEY, date(2026, 1, 31), "360402")
    after = services.in_force(KEY, date(2026, 2, 1), "360402")
    assert before.typed.decision_days == 30 and before.is_verified
    assert after.typed.decision_days == 90 and not after.is_verified and "第18号" in after.source
    with pytest.raises(services.RuleMissing):
        services.in_force(KEY, date(2015, 4, 30))


def test_a_province_version_counts_from_its_date_until_a_newer_national_one(world):
    mine = services.add_version(
        world.users["province_office"],
        KEY,
        effective_from=date(2020, 1, 1),
        values={"decision_days": 45, "surcharge_rate": "0.03", "simple_procedure": False},
        source="江西省规定（示例）",
        verified="partial",
        region_code="360402",  # stored for the province
    )
    assert mine.region_code == "360000"
    assert services.in_force(KEY, date(2021, 6, 1), "360424").typed.decision_days == 45
    assert services.in_force(KEY, date(2021, 6, 1), "440100").typed.decision_days == 30  # another province
    assert services.in_force(KEY, date(2026, 3, 1), "360424").typed.decision_days == 90  # newer national
    # the record that applied the old figure still reads it through its version
    assert RuleVersion.objects.get(pk=mine.pk).typed.decision_days == 45
    with pytest.raises(ValueError):
        mine.note = "改一下"
        mine.save()
    entry = AuditEntry.objects.get(model="rules.ruleversion", object_id=str(mine.pk))
    # the log names the kind and each figure as people read them
    assert entry.actor_id == world.users["province_office"].pk and entry.after["key"] == "办案期限示例"
    assert entry.after["values"]["办案期限（日）"] == 45 and entry.after["values"]["可适用简易程序"] is False


@pytest.mark.django_db(transaction=True)
def test_versions_over_http_with_a_token(live_server, world):
    base = live_server.url
    province, county = token_for(base, "province_office"), token_for(base, "county_office")
    status, _, body = call(
        base, "GET", f"/api/v1/rules/{KEY}/in-force?on=2026-01-31&region=360402", token=county
    )
    assert status == 200 and json.loads(body)["values"]["decision_days"] == 30
    assert json.loads(body)["verified_label"] == "已核实"

    new = {
        "effective_from": "2026-06-01",
        "values": {"decision_days": 60, "surcharge_rate": "0.03", "simple_procedure": True},
        "source": "江西省实施办法（示例）第十条",
        "verified": "partial",
        "region_code": "360000",
    }
    status, _, body = call(base, "POST", f"/api/v1/rules/{KEY}/versions", new, token=county)
    assert status == 403 and "安委办" in json.loads(body)["detail"][0]["message"]

    bad = {**new, "values": {"decision_days": 0, "surcharge_rate": "abc"}}
    status, _, body = call(base, "POST", f"/api/v1/rules/{KEY}/versions", bad, token=province)
    fields = {e["field"]: e["message"] for e in json.loads(body)["detail"]}
    assert status == 422 and set(fields) == {
        "values.decision_days",
        "values.surcharge_rate",
        "values.simple_procedure",
    }
    assert fields["values.simple_procedure"] == "必填" and all(not m.isascii() for m in fields.values())
    assert RuleVersion.objects.filter(key=KEY, region_code="360000").count() == 0

    status, _, body = call(base, "POST", f"/api/v1/rules/{KEY}/versions", new, token=province)
    assert status == 201, body
    status, _, body = call(base, "POST", f"/api/v1/rules/{KEY}/versions", new, token=province)
    assert status == 422 and json.loads(body)["detail"][0]["field"] == "effective_from"
    status, _, body = call(
        base, "GET", f"/api/v1/rules/{KEY}/in-force?on=2026-07-01&region=360424", token=county
    )
    assert json.loads(body)["values"]["decision_days"] == 60
    status, _, body = call(base, "GET", "/api/v1/rules/no.such/in-force", token=county)
    assert status == 404


@pytest.mark.django_db(transaction=True)
def test_the_page_lists_versions_and_adds_one_with_errors_under_the_fields(live_server, world):
    browser = Session(live_server.url)
    browser.login("province_office", PASSWORD)
    status, _, body = browser.request("GET", "/rules/")
    page = body.decode()
    assert status == 200 and "办案期限示例" in page and "未核实" in page
    path = f"/rules/{KEY}/"
    status, _, body = browser.post_form(
        path,
        {
            "effective_from": "",
            "values.decision_days": "一百",
            "values.surcharge_rate": "0.03",
            "source": "",
            "region_code": "360000",
        },
    )
    page = body.decode()
    assert status == 422 and "请填写施行日期" in page and 'data-testid="error-decision_days"' in page
    assert "请写明依据" in page or "施行日期" in page
    status, _, _ = browser.post_form(
        path,
        {
            "effective_from": "2026-09-01",
            "values.decision_days": "75",
            "values.surcharge_rate": "0.03",
            "values.simple_procedure": "1",
            "source": "江西省规定（示例）",
            "verified": "partial",
            "region_code": "360000",
        },
    )
    assert status == 200  # followed the redirect
    assert services.in_force(KEY, date(2026, 9, 2), "360402").typed.decision_days == 75
    county = Session(live_server.url)
    county.login("county_office", PASSWORD)
    status, _, body = county.request("GET", path)
    assert status == 200 and 'data-testid="rule-form"' not in body.decode()


def test_a_table_figure_reads_with_its_columns_titles_also_when_it_may_be_empty():
    """The rules page shows a table figure row by row with its columns' titles, whether the schema says
    `list[Row]` or `list[Row] | None` (it showed the field names for the latter)."""
    from pydantic import BaseModel, Field

    from anquan.rules.forms import figures
    from anquan.rules.registry import RuleKind

    class Row(BaseModel):
        code: str = Field(title="代码")
        amount: int = Field(title="金额")

    class Table(BaseModel):
        rows: list[Row] = Field(title="必有的表")
        extra: list[Row] | None = Field(None, title="可空的表")

    kind = RuleKind(key="example.table", label="表", schema=Table, defaults=())
    row = [{"code": "a", "amount": 1}]
    assert figures(kind, {"rows": row, "extra": row}) == [
        ("必有的表", "代码：a，金额：1"),
        ("可空的表", "代码：a，金额：1"),
    ]
    assert figures(kind, {"rows": [], "extra": None}) == [("必有的表", "—"), ("可空的表", "—")]
