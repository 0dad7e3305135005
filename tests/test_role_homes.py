"""Each role's home and menu (issue #12 item 1): no menu entry answers 403, field roles get their phone home and
bottom bar, desk roles the to-do panel with its count in the menu and trend charts; the platform's names on the
login page."""

import json
import re

import pytest
from django.test import Client

from anquan.hazards import actions
from anquan.hazards import services as reporting

from .conftest import PASSWORD, login

FIELD = {"grid_worker", "inspector", "enterprise_manager"}


def menu_links(html: str) -> list[str]:
    """The hrefs of the side menu and of the phone bottom bar, as a user can follow them."""
    menu = html[html.index('<aside class="aq-sidebar') : html.index("</aside>")]
    links = re.findall(r'<a class="nav-link[^>]*? href="([^"]+)"', menu)
    if 'data-testid="bottom-bar"' in html:
        bar = html[html.index('data-testid="bottom-bar"') :]
        links += re.findall(r'<a href="([^"]+)" class="aq-bottom-item', bar[: bar.index("</nav>")])
    return [link.replace("&amp;", "&") for link in links]


def menu_labels(html: str) -> set[str]:
    menu = html[html.index('<aside class="aq-sidebar') : html.index("</aside>")]
    return {re.sub(r"<[^>]+>|\s+\d+\s*$", "", m).strip() for m in re.findall(r"</i> ([^<]+)", menu)}


def grid_report(world, description="电动自行车在楼道内充电"):
    raw = {"region": world.t1.code, "address": "十里街道农贸市场东门", "industry": "small_venue"}
    return reporting.report_hazard({**raw, "description": description}, actor=world.users["grid_worker"])


def test_each_roles_home_carries_its_menu_and_only_field_roles_the_bottom_bar(world):
    """That every menu entry opens (200) for every role is checked by the walk of every page each role reaches
    (tests/live/test_plain_language.py), over HTTP, with a richer world."""
    for persona, user in world.users.items():
        home = login(user).get("/")
        assert home.status_code == 200, persona
        html = home.content.decode()
        assert "/" in menu_links(html), persona
        # only the field roles carry the phone bottom bar
        assert ('data-testid="bottom-bar"' in html) == (persona in FIELD), persona


def test_each_role_sees_only_its_own_work_in_the_menu(world):
    labels = {p: menu_labels(login(u).get("/").content.decode()) for p, u in world.users.items()}
    assert {"隐患排查治理", "调度通报", "用户管理", "审计日志", "事故统计看板", "三管三必须职责"} <= labels[
        "county_office"
    ]
    # the risk map refuses an enterprise: not offered to it; nor what only the authorities work on
    assert not labels["enterprise_manager"] & {
        "风险四色图",
        "调度通报",
        "用户管理",
        "三管三必须职责",
        "区域与网格",
    }
    assert {"今日排查任务", "上报隐患", "风险报告", "事故管理", "本单位信息"} <= labels["enterprise_manager"]
    assert "企业名录" not in labels["enterprise_manager"]  # its own page instead of a list of one
    assert not labels["grid_worker"] & {
        "今日排查任务",
        "风险报告",
        "事故管理",
        "调度通报",
        "审计日志",
        "用户管理",
        "风险四色图",
    }
    assert {"上报隐患", "隐患排查治理", "区域与网格"} <= labels["grid_worker"]
    assert (
        "上报隐患" not in labels["county_office"]
    )  # the desk records from the ledger, not from a phone entry


def test_every_menu_entry_sits_under_a_section_and_the_desk_reads_the_headings(world):
    from anquan.core.context import NAV, SECTIONS

    placed = [url for _label, urls in SECTIONS for url in urls]
    assert sorted(placed) == sorted({entry.url for entry in NAV}) and len(placed) == len(set(placed))
    html = login(world.users["county_office"]).get("/").content.decode()
    headings = re.findall(r'class="aq-nav-section[^"]*"[^>]*>([^<]+)<', html)
    assert headings == [
        "风险与隐患",
        "执法检查",
        "网格与举报",
        "事故与通报",
        "专项整治与调度",
        "督办提示",
        "考核评比",
        "监测预警",
        "三项岗位人员",
        "应急管理",
        "系统管理",
    ]
    field = login(world.users["grid_worker"]).get("/").content.decode()
    assert "执法检查" not in re.findall(r'class="aq-nav-section[^"]*"[^>]*>([^<]+)<', field)


def test_grid_worker_home_counts_her_own_reports_and_lists_them(world):
    client = login(world.users["grid_worker"])
    home = client.get("/").content.decode()
    assert 'data-testid="tile-report"' in home and "我的上报" in home
    assert 'data-testid="tile-mine-count"' not in home  # nothing reported yet
    grid_report(world)
    # a finding of the inspector in the same township is not hers
    reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "储罐区防火堤破损"},
        actor=world.users["inspector"],
    )
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="tile-mine-count">1<', home)
    recent = home[home.index('data-testid="recent-hazards"') :]
    assert "电动自行车在楼道内充电" in recent and "储罐区防火堤破损" not in recent
    mine = re.search(r'href="([^"]+)" data-testid="tile-mine"', home)
    assert mine is not None
    ledger = client.get(mine.group(1).replace("&amp;", "&")).content.decode()
    assert "电动自行车在楼道内充电" in ledger and "储罐区防火堤破损" not in ledger


def test_county_desk_home_shows_its_to_do_count_and_trends(world):
    client = login(world.users["county_office"])
    home = client.get("/").content.decode()
    assert 'data-testid="todo-badge"' not in home  # nothing waits
    hazard = grid_report(world)
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="todo-badge"[^>]*>1<', home)
    monthly = json.loads(
        re.search(r'id="trend-monthly" type="application/json">(.*?)</script>', home).group(1)
    )
    assert len(monthly) == 12 and monthly[-1]["found"] == 1 and monthly[-1]["closed"] == 0
    areas = json.loads(re.search(r'id="trend-areas" type="application/json">(.*?)</script>', home).group(1))
    by_name = {row["name"]: row for row in areas}
    assert by_name[world.t1.name]["found"] == 1 and by_name[world.t1.name]["rate"] == 0.0
    assert by_name[world.t2.name]["found"] == 0 and by_name[world.t2.name]["rate"] is None
    assert "待受理隐患" in home  # the to-do panel names the step
    # accepted, it no longer waits for the county to accept it (it now waits for someone to assign it)
    actions.transition(hazard, "accept", actor=world.users["township_office"])
    home = client.get("/").content.decode()
    assert "待受理隐患" not in home and re.search(r'data-testid="todo-badge"[^>]*>1<', home)
    # the other county sees none of it
    other = login(world.users["county_office_b"]).get("/").content.decode()
    monthly_b = json.loads(
        re.search(r'id="trend-monthly" type="application/json">(.*?)</script>', other).group(1)
    )
    assert sum(row["found"] for row in monthly_b) == 0


def test_login_page_names_the_platform_its_unit_and_support(world, settings):
    settings.ANQUAN_PLATFORM_NAME = "九江市安全生产综合监管平台"
    settings.ANQUAN_DEPLOYING_UNIT = "九江市应急管理局"
    settings.ANQUAN_SUPPORT_CONTACT = "技术支持：0792-8888888"
    client = Client()
    page = client.get("/login/").content.decode()
    assert "九江市安全生产综合监管平台" in page and "九江市应急管理局" in page and "0792-8888888" in page
    assert "<title>登录 · 九江市安全生产综合监管平台</title>" in page
    client.post("/login/", {"username": "county_office", "password": PASSWORD})
    home = client.get("/").content.decode()
    assert "九江市安全生产综合监管平台" in home[home.index("aq-topbar") : home.index("</nav>")]
    settings.ANQUAN_DEPLOYING_UNIT = settings.ANQUAN_SUPPORT_CONTACT = ""
    page = Client().get("/login/").content.decode()
    assert 'data-testid="deploying-unit"' not in page and 'data-testid="support-contact"' not in page


@pytest.mark.parametrize("persona", sorted(FIELD))
def test_field_home_has_its_large_entries(world, persona):
    html = login(world.users[persona]).get("/").content.decode()
    tiles = re.findall(r'data-testid="tile-(\w+)"', html)
    assert (
        tiles[:4]
        == {
            "grid_worker": ["report", "mine", "enterprises", "messages"],
            "inspector": ["report", "mine", "enterprises", "messages"],
            "enterprise_manager": ["checks", "report", "mine", "messages"],
        }[persona]
    )
    assert "监管企业数" not in html  # not the county's statistics
