"""The 高安 2024 work points pasted as text: 34 tasks in 6 sections, their units recognised or flagged."""

import pytest

from anquan.campaigns.choices import ImportStatus, UnitKind, UnitRole
from anquan.campaigns.importing import services
from anquan.campaigns.models import Battle, Campaign, Task, TaskUnit, UnitAlias
from anquan.core.errors import ValidationFailed
from anquan.core.models import AuditEntry
from anquan.orgs.models import Department
from anquan.regions.models import Region

from .import_fixtures import gaoan_fixture, seed_text  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_34_work_points_parse_with_their_units(gaoan):
    campaign, office = gaoan
    task_import = services.preview_text(campaign, seed_text(), actor=office)
    rows = task_import.rows
    assert [r["number"] for r in rows] == [str(n) for n in range(1, 35)]
    assert len({r["battle"] for r in rows}) == 6
    first = rows[0]
    assert first["title"] == "着力树牢安全发展理念"
    assert first["content"].startswith("推动学习习近平总书记关于安全生产重要论述")
    assert [(u["role"], u["text"], u["kind"], u["label"]) for u in first["units"]] == [
        (UnitRole.JOINTLY, "市委宣传部", UnitKind.UNRECOGNISED, "未识别"),
        (UnitRole.JOINTLY, "市应急管理局", UnitKind.DEPARTMENT, "高安市应急管理局"),
        (UnitRole.SHARE, "市直有关部门", UnitKind.MEMBER_DEPARTMENTS, "高安市安委会成员单位"),
        (UnitRole.IMPLEMENT, "各乡镇(街道、管委会、场、库)", UnitKind.CHILD_REGIONS, "高安市下辖各地"),
    ]
    second = rows[1]  # the units without parentheses, 、 lost between two of them
    assert [(u["role"], u["text"]) for u in second["units"]] == [
        (UnitRole.ORGANISE, "市安委"),
        (UnitRole.IMPLEMENT, "市直有关部门"),
        (UnitRole.IMPLEMENT, "乡镇(街道、管委会、场、库)"),
    ]
    assert second["units"][0]["label"] == "高安市"  # the committee: the region's office
    counts = services.counts(rows)
    print(counts)


FLAGGED = [
    "市委宣传部",
    "各安全生产委员会",
    "市消防安全委员会",
    "市消防救援队",
    "市民政局",
    "市安委会道路交通安全生产委员会",
    "高铁高安站",
    "市公安局交警",
    "市公路事业发展中心",
    "市发改委",
    "市安委会矿山安全生产委员会",
    "有关乡镇(场、库)",
    "市安委会危险物品安全生产委员会",
    "建陶基地园区",
    "市安委会特种设备安全生产委员会",
    "市安委会城市运行安全生产委员会",
    "市安委会旅游安全生产委员会",
    "市安委会农林水安全生产委员会",
    "市司法局",
    "市科技局",
]


def test_the_counts_of_recognised_and_flagged_units_are_pinned(gaoan):
    campaign, office = gaoan
    counted = services.counts(services.preview_text(campaign, seed_text(), actor=office).rows)
    assert (counted.lines, counted.units, counted.recognised, counted.flagged) == (34, 142, 115, 27)
    assert counted.flagged_names == FLAGGED


def test_a_mapping_fixes_every_line_and_the_next_import_remembers_it(gaoan):
    campaign, office = gaoan
    first = services.preview_text(campaign, seed_text(), actor=office)
    fire = Department.objects.get(name="消防救援")
    changed = services.map_name(
        first, text="市消防救援队", kind="department", department_id=fire.pk, actor=office
    )
    assert changed == 2  # items 10 and 14
    changed = services.map_name(first, text="市委宣传部", kind="text_only", actor=office)
    assert changed == 1
    first.refresh_from_db()
    units = [u for row in first.rows for u in row["units"] if u["text"] == "市消防救援队"]
    assert [u["label"] for u in units] == ["高安市消防救援", "高安市消防救援"]
    alias = UnitAlias.objects.get(region_code="360983", text="市消防救援队")
    assert AuditEntry.objects.filter(model="campaigns.unitalias", object_id=str(alias.pk)).exists()
    second = services.counts(services.preview_text(campaign, seed_text(), actor=office).rows)
    assert second.flagged == 27 - 3
    assert "市消防救援队" not in second.flagged_names and "市委宣传部" not in second.flagged_names


def test_a_new_kind_of_department_is_added_audited_and_used(gaoan):
    campaign, office = gaoan
    task_import = services.preview_text(campaign, seed_text(), actor=office)
    services.map_name(
        task_import, text="市司法局", kind="new_department", department_name="司法局", actor=office
    )
    justice = Department.objects.get(name="司法局")
    assert AuditEntry.objects.filter(model="orgs.department", object_id=str(justice.pk)).exists()
    with pytest.raises(ValidationFailed) as refused:
        services.map_name(
            task_import, text="市科技局", kind="new_department", department_name="司法局", actor=office
        )
    assert refused.value.errors[0].field == "department_name"


def test_apply_creates_the_tasks_once(gaoan):
    campaign, office = gaoan
    task_import = services.preview_text(campaign, seed_text(), actor=office)
    applied = services.apply(task_import, actor=office)
    assert (applied.created, applied.skipped, applied.flagged) == (34, 0, 27)
    lines = Task.objects.filter(campaign=campaign, parent=None)
    assert lines.count() == 34
    assert Battle.objects.filter(campaign=campaign).count() == 6
    assert TaskUnit.objects.filter(task__campaign=campaign).count() == 142
    first = lines.get(number="1")
    assert first.title == "着力树牢安全发展理念" and first.battle.number == "一"
    towns = Region.objects.filter(parent__code="360983")
    assert towns.count() == 28
    # 各乡镇(街道、管委会、场、库): one sub-task per township of 高安市
    assert set(first.subtasks.filter(department=None).values_list("region__code", flat=True)) == set(
        towns.values_list("code", flat=True)
    )
    task_import.refresh_from_db()
    assert task_import.status == ImportStatus.APPLIED
    again = services.apply(task_import, actor=office)
    assert (again.created, again.skipped) == (0, 34)
    twice = services.apply(services.preview_text(campaign, seed_text(), actor=office), actor=office)
    assert twice.created == 0 and lines.count() == 34


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("   \n ", "required"),
        ("一、总体要求\n没有编号的段落。", "no_items"),
        ("x" * 200_001, "too_long"),
    ],
)
def test_bad_text_is_refused_on_its_field(gaoan, text, code):
    campaign, office = gaoan
    with pytest.raises(ValidationFailed) as refused:
        services.preview_text(campaign, text, actor=office)
    assert [(e.field, e.code) for e in refused.value.errors] == [("text", code)]


def test_an_offices_mapping_is_used_by_offices_below_it_not_by_another_county(gaoan, world):
    campaign, office = gaoan
    fire = Department.objects.get(name="消防救援")
    first = services.preview_text(campaign, seed_text(), actor=office)
    services.map_name(first, text="市消防救援队", kind="department", department_id=fire.pk, actor=office)
    lianxi = Campaign.objects.create(
        region=Region.objects.get(code="360402"),
        name="濂溪区要点",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )
    text = "1.开展消防安全整治。（市消防救援队负责"
    theirs = services.preview_text(lianxi, text, actor=world.users["county_office"])
    assert theirs.rows[0]["units"][0]["flagged"] is True  # 高安市's mapping is 高安市's
    UnitAlias.objects.create(region_code="360400", text="市消防救援队", kind="department", department=fire)
    below = services.preview_text(lianxi, text, actor=world.users["county_office"])
    assert below.rows[0]["units"][0]["flagged"] is False  # 九江市's mapping reaches its counties
