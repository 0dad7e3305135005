"""Plain language and finding things (issue #12 items 7 and 8): the audit log as a reader reads it, the
操作指引 of a page, ranked search with its total, the pager's page jump and size, and desk forms that say
what is wrong under the field concerned."""

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from anquan.core import audit_display
from anquan.core.models import AuditEntry

from .conftest import login, make_enterprise

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text without markup, spaces collapsed."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_audit_log_reads_as_people_say_it(world):
    """A change of a yes/no field, a supervising department and a time: 是/否, the department's name, the
    time in Beijing to the minute, Chinese field labels; no True, no ids, no ISO timestamps."""
    from anquan.enterprises.services import update_enterprise

    county = world.users["county_office"]
    update_enterprise(
        world.chem_t1, {"key_supervision": True, "key_supervision_level": "county"}, actor=county
    )
    entry = AuditEntry.objects.filter(model="enterprises.enterprise", action="update").latest("id")
    page = text_of(login(world.users["sysadmin"]).get("/audit/"))
    labels = {label: (old, new) for label, old, new in entry.changed_fields()}
    assert ("否", "是") in labels.values(), labels
    assert (
        ("—", "县级") in labels.values()
        or (None, "县级") in labels.values()
        or ("", "县级") in labels.values()
    ), labels
    assert "True" not in page and "False" not in page
    local = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
    assert local in page
    created = AuditEntry.objects.filter(model="enterprises.enterprise", action="create").first()
    rows = {label: new for label, _old, new in created.changed_fields()}
    assert rows.get("行业监管部门") == "应急管理局", rows
    assert not any(label.isascii() for label in rows), rows


def test_structured_values_are_labelled_lines():
    """A calculation stored as JSON reads as labelled lines: Chinese labels, 是/否, colour names; the keys
    kept only for machines (exact fractions, codes beside labels) are left out."""
    value = audit_display.Structured(
        {"is_major": True, "s_exact": "6/5", "alpha": 1.5, "points_by_level": {"red": 1, "blue": 0}}
    )
    assert value.text.splitlines() == [
        "构成重大危险源：是",
        "α（校正系数）：1.5",
        "各等级风险点数：",
        "  红（重大风险）：1",
        "  蓝（低风险）：0",
    ]
    assert audit_display.plain("2026-01-02T06:38:10.123456+00:00") == "2026-01-02 14:38"
    assert audit_display.plain("image/png") == "PNG 图片"


def test_system_actors_are_named_in_chinese(world):
    from anquan.core import audit
    from anquan.core.choices import AuditAction

    audit.record(AuditAction.UPDATE, world.chem_t1, actor="sweep", comment="标记逾期")
    client = login(world.users["sysadmin"])
    page = text_of(client.get("/audit/"))
    assert "定时检查" in page and " sweep " not in page
    # the log's filter form: by account name (the system's own actors by their stored name) and kind of change
    html = client.get("/audit/", {"actor": "sweep", "action": "update"}).content.decode()
    assert 'data-testid="audit-filters"' in html and '<option value="update" selected>' in html
    assert html.count('class="border-bottom py-2 small"') == 1 and "标记逾期" in html


def test_a_main_page_has_its_help(world):
    page = login(world.users["county_office"]).get("/hazards/")
    assert page.status_code == 200
    assert 'data-testid="page-help"' in page.content.decode()
    assert "操作指引" in text_of(page)


def test_search_ranks_exact_then_prefix_then_initials_then_contains(world):
    """Typed "化工": a name containing it comes after names beginning with it; the exact name first."""
    t1 = world.t1
    make_enterprise(t1, "hazardous_chemicals", "江西省化工", "360402", 11)  # contains
    make_enterprise(t1, "hazardous_chemicals", "化工机械厂", "360402", 12)  # prefix, longer
    make_enterprise(t1, "hazardous_chemicals", "化工", "360402", 13)  # exact
    make_enterprise(t1, "hazardous_chemicals", "化工厂", "360402", 14)  # prefix, shorter
    page = login(world.users["county_office"]).get("/search/", {"q": "化工"})
    names = re.findall(r'<div class="fw-semibold">([^<]+)</div>', page.content.decode())
    assert names[:4] == ["化工", "化工厂", "化工机械厂", "江西省化工"], names
    assert f"共找到 {len(names)} 家企业" in text_of(page)


def test_search_by_initials_comes_before_names_that_merely_contain_them(world):
    """ "jxhg": 江西化工… by its initials first; the total counts every hit and 查看全部 opens them all."""
    from anquan.overview.search import SHOWN

    t1 = world.t1
    for n in range(SHOWN + 2):
        make_enterprise(t1, "construction", f"建设{n:02d}jxhg分公司", "360402", 20 + n)  # contains "jxhg"
    page = login(world.users["county_office"]).get("/search/", {"q": "jxhg"})
    names = re.findall(r'<div class="fw-semibold">([^<]+)</div>', page.content.decode())
    assert names[0] == "江西化工测试有限公司", names[:3]
    total = SHOWN + 4  # and the world's 江西化工测试 and 九江精细化工 (initials jjjxhg…)
    assert len(names) == SHOWN and f"共找到 {total} 家企业" in text_of(page)
    assert f"查看全部 {total} 家" in text_of(page)
    listed = login(world.users["county_office"]).get("/enterprises/", {"q": "jxhg"})
    assert text_of(listed).index("江西化工测试有限公司") < text_of(listed).index("建设00jxhg分公司")


def test_pager_jumps_to_a_page_and_changes_its_size(world):
    client = login(world.users["county_office"])
    for n in range(12):
        make_enterprise(world.t1, "construction", f"分页测试{n:02d}有限公司", "360402", 60 + n)
    small = client.get("/enterprises/", {"q": "分页测试", "size": "10", "page": "2", "ordering": "name"})
    assert "分页测试10有限公司" in text_of(small) and "分页测试09有限公司" not in text_of(small)
    html = small.content.decode()
    assert 'name="page"' in html and 'name="size"' in html
    assert 'type="hidden" name="q" value="分页测试"' in html  # the jump keeps the filters
    previous = re.search(r'href="\?([^"]+)" rel="prev"', html)
    assert previous and "size=10&page=1" in unescape(previous.group(1))  # the links keep the size
    odd = client.get("/enterprises/", {"q": "分页测试", "size": "7"})  # not a size offered: the default
    assert "分页测试11有限公司" in text_of(odd)


def test_accident_form_shows_errors_under_the_field(world):
    client = login(world.users["county_office"])
    response = client.post(
        "/accidents/new/",
        {
            "occurred_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "deaths": "x",
        },
    )
    html = response.content.decode()
    assert response.status_code in (200, 422)
    assert 'data-testid="error-deaths"' in html and 'data-testid="error-summary"' in html, html[:2000]
    assert "请按下方提示修改标出的内容" in html
