"""Band tables as versioned, administrator-set data: seeded defaults, selection by province, new
versions (audited, never edited in place), old versions still there; held substance categories."""

from decimal import Decimal

import pytest

from anquan.core import audit
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.standards import assessment, services
from anquan.standards.assessment import Band
from anquan.standards.models import RiskBandTable, SubstanceCategory

pytestmark = pytest.mark.django_db
D = Decimal

STRICT_LS = [
    Band(D(15), None, "red", "重大风险"),
    Band(D(9), D(15), "orange", "较大风险"),
    Band(D(4), D(9), "yellow", "一般风险"),
    Band(D(0), D(4), "blue", "低风险"),
]


def new_ls(actor, region_code="", **extra):
    return services.set_band_table(
        method="LS",
        region_code=region_code,
        code="ls-15-9-4",
        name="LS 分级（≥15 / 9–14 / 4–8 / 1–3）",
        bands=STRICT_LS,
        source="ls_matrix.json observed_variants[1]",
        comment="按本省文件调整",
        actor=actor,
        **extra,
    )


def test_migration_seeds_the_national_defaults(reference):
    """(`reference` seeds them again, through the migration's own `standards.seed.load`, when a transactional test
    before this one on the worker emptied the database.)"""
    lec = services.active_table("LEC")
    ls = services.active_table("LS")
    assert (lec.code, lec.version, lec.region_code, lec.verified) == ("lec-four-colour-common", 1, "", True)
    assert (ls.code, ls.version, ls.verified) == ("ls-17-11-5", 1, False)
    assert "未核实" in ls.verification_note
    assert services.to_band_table(lec).bands == assessment.default_table("LEC").bands
    assert services.to_band_table(ls).factors == assessment.default_table("LS").factors
    assert list(SubstanceCategory.objects.values_list("table1_no", "categories")) == [(52, ["W2"])]


def test_a_new_version_is_audited_selected_and_the_old_one_kept(world):
    admin = world.users["sysadmin"]
    old = services.active_table("LS")
    before = assessment.assess("LS", {"l": D(3), "s": D(4)}, services.to_band_table(old))
    assert before.level == "orange"  # 12 under 17/11/5

    table = new_ls(admin)
    assert (table.version, table.active, table.supersedes_id, table.created_by) == (2, True, old.pk, admin)
    assert services.active_table("LS").pk == table.pk
    assert assessment.assess("LS", {"l": D(3), "s": D(4)}, services.to_band_table(table)).level == "orange"
    assert assessment.assess("LS", {"l": D(3), "s": D(5)}, services.to_band_table(table)).level == "red"  # 15

    # the old version is untouched apart from its active flag, and still explains the old assessment
    old_again = services.get_table(old.pk)
    assert not old_again.active
    assert services.to_band_table(old_again).bands == services.to_band_table(old).bands
    assert (
        assessment.assess("LS", {"l": D(3), "s": D(5)}, services.to_band_table(old_again)).level == "orange"
    )

    created = AuditEntry.objects.get(model="standards.riskbandtable", object_id=str(table.pk))
    assert (created.action, created.actor, created.comment) == ("create", admin, "按本省文件调整")
    assert created.after["bands"][0] == ["15", None, "red"]
    assert created.after["factors"] == {"L": ["1", "2", "3", "4", "5"], "S": ["1", "2", "3", "4", "5"]}
    deactivated = AuditEntry.objects.get(model="standards.riskbandtable", object_id=str(old.pk))
    assert (deactivated.action, deactivated.before["active"], deactivated.after["active"]) == (
        "update",
        True,
        False,
    )
    assert audit.verify().ok


def test_versions_are_never_edited_in_place(world):
    table = services.active_table("LEC")
    table.name = "改名"
    with pytest.raises(ValueError):
        table.save()


def test_a_province_table_overrides_the_national_default(world):
    province_office = world.users["province_office"]  # 江西省
    table = new_ls(province_office, region_code="360000")
    assert (table.region_code, table.version) == ("360000", 1)
    assert services.active_table("LS", "360402001").pk == table.pk  # a township of 九江市
    assert services.active_table("LS", "110105").region_code == ""  # elsewhere: the national default
    assert services.active_table("LS").region_code == ""
    assert RiskBandTable.objects.get(method="LS", region_code="", version=1).active  # national one untouched


def test_who_may_set_band_tables(world):
    with pytest.raises(NotPermitted):
        new_ls(world.users["county_office"], region_code="360000")
    with pytest.raises(NotPermitted):
        new_ls(world.users["province_office"])  # the national default is for system administrators
    assert RiskBandTable.objects.filter(method="LS").count() == 1


def test_invalid_tables_are_refused_with_field_errors(world):
    admin = world.users["sysadmin"]
    with pytest.raises(ValidationFailed) as excinfo:
        services.set_band_table(
            method="LS",
            region_code="360400",  # a city, not a province
            code="",
            name="x",
            bands=[Band(D(0), D(5), "blue"), Band(D(6), None, "red")],
            factors={"L": (assessment.ScaleValue(D(1)),), "S": ()},
            source="x",
            actor=admin,
        )
    assert {e.field for e in excinfo.value.errors} == {"region", "code", "bands", "factors"}
    assert RiskBandTable.objects.filter(method="LS").count() == 1


def test_held_substance_categories_are_audited(world):
    admin = world.users["sysadmin"]
    entry = services.set_substance_category(65, ["W5.3"], source="某出处", verified=False, actor=admin)
    assert (entry.name, entry.cas) == ("甲醇", "67-56-1")
    assert services.held_categories()[65].symbols == ("W5.3",)
    assert (
        AuditEntry.objects.filter(model="standards.substancecategory", object_id=str(entry.pk)).count() == 1
    )
    services.set_substance_category(65, ["W5.1"], source="某出处", verified=False, actor=admin)
    assert (
        AuditEntry.objects.filter(model="standards.substancecategory", object_id=str(entry.pk)).count() == 2
    )
    with pytest.raises(ValidationFailed):
        services.set_substance_category(999, ["W99"], source="", verified=False, actor=admin)
    with pytest.raises(NotPermitted):
        services.set_substance_category(
            65, ["W5.3"], source="x", verified=False, actor=world.users["county_office"]
        )
