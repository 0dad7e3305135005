"""The ledger's `q=` search through the gram index finds exactly what the plain LIKE scan finds (issue #18,
docs/adr/0050), for 1-, 2- and 3+-character Chinese terms, Latin letters in either case, digits, business
numbers, credit codes, pinyin initials, punctuation and the LIKE wildcards `%` and `_` — and keeps finding
them after a description, a place or an enterprise's name changes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from anquan.enterprises.models import Enterprise
from anquan.hazards import filters, text_search
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

TEXTS = [
    ("消防通道堵塞", "一号车间东侧"),
    ("配电箱未接地，电缆私拉乱接", "配电室"),
    ("动火作业未审批（动火证过期）", "罐区3#"),
    ("有限空间作业未检测Ab-12型气体", "污水处理站"),
    ("灭火器压力不足50%", "仓库_A区"),
    ("安全出口指示灯损坏 EXIT 灯", "办公楼2F"),
    ("电气线路老化", ""),
    ("消火栓被杂物占用", "厂区东门"),
    ("警示标识缺失；x_y 区域", "装卸区"),
    ("防爆电气失效（Ex d IIB T4）", "危化品库"),
]
TERMS = [
    "消", "防", "火", "消防", "电气", "动火", "通道堵塞", "动火作业未审批", "配电箱未接地，电缆",
    "a", "A", "ab", "AB", "Ab-12", "exit", "EXIT", "IIB T4", "2F", "2f",
    "%", "50%", "_", "x_y", "仓库_A", "_A", "（", "（动火", "，", "#", "3#", ";", "；", "-",
    "化工", "江西化工测试有限公司", "九江", "jxhg", "JXHG", "jx", "j", "91", "9136", "〔", "隐", "0001",
    "不存在的词", "zz", "İ", "\\", "'", '"',
]  # fmt: skip


def plain(q: str) -> set[int]:
    """Today's definition, as a scan."""
    condition = (
        Q(number__contains=q)
        | Q(description__contains=q)
        | Q(enterprise__name__contains=q)
        | Q(address__contains=q)
        | Q(enterprise__uscc__startswith=q.upper())
        | Q(enterprise__name_initials__contains=q.lower())
    )
    return set(Hazard.objects.filter(condition).values_list("pk", flat=True))


def indexed(q: str) -> set[int]:
    return set(filters.apply(Hazard.objects.all(), {"q": q}).values_list("pk", flat=True))


@pytest.fixture
def ledger(world):
    inspector = world.users["inspector"]
    hazards = []
    for i, (description, address) in enumerate(TEXTS):
        enterprise = (world.chem_t1, world.chem_t2)[i % 2]
        raw = {"enterprise": enterprise.uscc, "source": "inspection", "description": description}
        if address:
            raw["address"] = address
        hazards.append(reporting.report_hazard(raw, actor=inspector))
    return hazards


@pytest.mark.django_db
def test_indexed_search_equals_the_plain_scan(ledger):
    numbers = [h.number for h in ledger]
    assert all(numbers)
    terms = [*TERMS, numbers[3], numbers[3][-4:], numbers[3][:3], ledger[0].enterprise.uscc[:6]]
    for q in terms:
        assert indexed(q) == plain(q), q
    assert indexed("消防") == {ledger[0].pk}  # the figures users see: not an empty or whole-ledger answer
    assert indexed(numbers[3]) == {ledger[3].pk}
    assert indexed("jxhg") == {h.pk for h in ledger}  # 江西化工测试… and 九江精细化工… (jjjxhg)


@pytest.mark.django_db
@pytest.mark.parametrize("dense, firms", [(1, 5000), (5000, 0), (1, 0)])
def test_each_form_of_the_search_finds_the_same(ledger, monkeypatch, dense, firms):
    """A common term is tested row by row in the list's order, a rare one collected by index, the matching
    enterprises written out as ids or kept as a subquery (docs/adr/0054): the same hazards every way."""
    monkeypatch.setattr(text_search, "DENSE", dense)
    monkeypatch.setattr(text_search, "FIRMS", firms)
    numbers = [h.number for h in ledger]
    for q in [*TERMS, numbers[3], numbers[3][-4:], ledger[0].enterprise.uscc[:6]]:
        assert indexed(q) == plain(q), q
    assert indexed("jxhg") == {h.pk for h in ledger}


@pytest.mark.django_db
@pytest.mark.parametrize("dense", [1, 3, 5000])
def test_a_search_probes_only_the_list_s_area(ledger, world, monkeypatch, dense):
    """The probe counts the matches in the user's area and its `region` filter, not the table's: each persona's
    and each region filter's results are still the plain scan's within their scope."""
    from anquan.core.scope import restrict

    monkeypatch.setattr(text_search, "DENSE", dense)
    areas = [{}, {"region": world.t1.code}, {"region": world.t2.code}, {"region": "360424"}]
    for persona in ("county_office", "township_office", "emergency_supervisor", "enterprise_manager"):
        user = world.users[persona]
        for extra in areas:
            for q in ("消", "火", "电气", "jxhg", "91", "不存在的词"):
                scoped = restrict(Hazard, user)
                if extra:
                    scoped = filters.apply(scoped, extra, user)
                found = set(
                    filters.apply(restrict(Hazard, user), {"q": q, **extra}, user).values_list(
                        "pk", flat=True
                    )
                )
                assert found == plain(q) & set(scoped.values_list("pk", flat=True)), (persona, extra, q)
    township = filters.apply(
        restrict(Hazard, world.users["township_office"]), {"q": "消"}, world.users["township_office"]
    )
    assert set(township.values_list("pk", flat=True)) == {ledger[0].pk}  # 消防通道堵塞, chem_t1 (t1)


@pytest.mark.django_db
def test_a_search_counts_up_to_its_own_cap(ledger, api_token, client, settings):
    """A broad search says "N+" beyond SEARCH_COUNT_CAP (ADR 0054); the same list unsearched counts on."""
    settings.SEARCH_COUNT_CAP = 3
    headers = api_token("province_office")
    body = client.get("/api/v1/hazards", {"q": "化工"}, **headers).json()
    assert (body["count"], body["count_exact"]) == (3, False)
    assert len(body["items"]) == 10  # the page is not cut by the count's cap
    body = client.get("/api/v1/hazards", {"q": "消防"}, **headers).json()
    assert (body["count"], body["count_exact"]) == (1, True)
    body = client.get("/api/v1/hazards", **headers).json()
    assert (body["count"], body["count_exact"]) == (Hazard.objects.count(), True)


@pytest.mark.django_db
@pytest.mark.parametrize("dense, cap", [(3, 2), (5, 1), (5000, 2)])
def test_a_common_term_s_count_stops_on_its_first_matches_with_the_same_answer(
    ledger, world, monkeypatch, settings, dense, cap
):
    """A common term's first DENSE matches are a sample the count stops on ("N+" without reading the rest,
    core.paging.count_up_to): with the list's other filters and each persona's scope, the pager says what a full
    count would — the exact number when it is within the cap, "cap+" beyond it."""
    from anquan.core.paging import capped_count
    from anquan.core.scope import restrict

    monkeypatch.setattr(text_search, "DENSE", dense)
    settings.SEARCH_COUNT_CAP = cap
    Hazard.objects.filter(pk=ledger[1].pk).update(level="major")  # a match of 电 out of `level=general`
    for persona in ("province_office", "county_office", "township_office", "enterprise_manager"):
        user = world.users[persona]
        for extra in ({}, {"level": "general"}, {"region": world.t2.code}, {"source": "inspection"}):
            for q in ("电", "火", "化工", "jxhg", "消防"):
                rows = filters.apply(restrict(Hazard, user), {"q": q, **extra}, user)
                n = len(
                    plain(q)
                    & set(filters.apply(restrict(Hazard, user), extra, user).values_list("pk", flat=True))
                )
                assert capped_count(rows) == (min(n, cap), n <= cap), (persona, extra, q, n)


@pytest.mark.django_db
def test_search_follows_edits_renames_and_deletions(ledger, world):
    hazard = ledger[0]
    Hazard.objects.filter(pk=hazard.pk).update(description="叉车无证驾驶", address="成品库")
    assert hazard.pk not in indexed("消防")
    assert indexed("叉车") == plain("叉车") == {hazard.pk}
    assert indexed("成品") == {hazard.pk}
    Enterprise.objects.filter(pk=world.chem_t2.pk).update(name="浔阳新材料有限公司")
    assert indexed("浔阳") == plain("浔阳") == {h.pk for h in ledger[1::2]}
    assert indexed("精细") == set()
    # moved to a township of 修水县 (an enterprise's move carries its hazards): a county's search follows it
    from anquan.regions.models import Region

    xiushui = Region.objects.filter(parent__code="360424").order_by("code").first()
    Hazard.objects.filter(pk=hazard.pk).update(region=xiushui, region_code=xiushui.code)
    province = world.users["province_office"]

    def in_area(q: str, region: str) -> set[int]:
        listed = filters.apply(Hazard.objects.all(), {"q": q, "region": region}, province)
        return set(listed.values_list("pk", flat=True))

    assert in_area("叉车", "360424") == in_area("叉车", xiushui.code) == {hazard.pk}
    assert (
        in_area("叉车", "360402") == in_area("叉车", world.t1.code) == in_area("叉车", "360400") - {hazard.pk}
    )
    assert in_area("叉车", "360400") == {hazard.pk}
    Hazard.objects.filter(pk=hazard.pk).delete()
    assert indexed("叉车") == set()


@pytest.mark.django_db
def test_ledger_api_search(ledger, api_token, client):
    headers = api_token("province_office")
    response = client.get("/api/v1/hazards", {"q": "动火"}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert [item["number"] for item in body["items"]] == [ledger[2].number]


@pytest.mark.django_db
def test_rebuild_command_refills_the_sqlite_index(ledger):
    out = io.StringIO()
    if connection.vendor != "sqlite":  # PostgreSQL keeps its expression index itself
        call_command("rebuild-text-index", stdout=out)
        assert "无需重建" in out.getvalue()
        return
    with connection.cursor() as cursor:  # as after writes that bypassed the triggers
        cursor.execute("INSERT INTO hazards_hazard_grams(hazards_hazard_grams) VALUES ('delete-all')")
    assert indexed("消防") == set()
    call_command("rebuild-text-index", stdout=out)
    assert f"{len(ledger)} 条" in out.getvalue()
    assert indexed("消防") == plain("消防") == {ledger[0].pk}


def test_a_chinese_keyword_is_looked_up_by_its_rarest_gram():
    """On PostgreSQL a keyword's index condition is its rarest gram (so that the planner estimates it right and
    intersects it with a county's region); numbers, Latin letters and long texts keep all their grams."""
    frequencies = {"安全": 0.3, "全出": 0.04, "出口": 0.05, "口指": 0.041, "火": 0.2, "42": 0.03}
    assert text_search.rarest("安全出口指", frequencies) == "全出"
    assert text_search.rarest("火", frequencies) == "火"
    assert (
        text_search.rarest("指示", frequencies) == "指示"
    )  # not among the common grams: rarer than all of them
    for whole in ("2542", "exit", "İ", "修水隐〔2026〕2542", "安全出口指示灯", "配电箱 ", ""):
        assert text_search.rarest(whole, frequencies) is None, whole
