"""Band tables and held substance categories: selection, new versions (audited), conversion to the
pure calculation types of assessment.py and gb18218.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Role
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region
from anquan.rules.services import province_code as province_code  # one definition, in the lower layer

from . import assessment, gb18218
from .models import RiskBand, RiskBandTable, RiskFactorValue, SubstanceCategory


def _tables() -> QuerySet[RiskBandTable]:
    return RiskBandTable.objects.prefetch_related("factor_values", "bands")


def active_table(method: str, region_code: str | None = "") -> RiskBandTable:
    """The active table of `method` for the province of `region_code`; a province's own table
    overrides the national default ("")."""
    province = province_code(region_code)
    candidates = list(_tables().filter(method=method, active=True, region_code__in={province, ""}))
    candidates.sort(key=lambda t: t.region_code != province)  # the province's own first
    if not candidates:
        raise LookupError(f"no active {method} band table")  # the data migration seeds both defaults
    return candidates[0]


def get_table(pk: int) -> RiskBandTable:
    """Any version, active or superseded (to explain an old assessment)."""
    return _tables().get(pk=pk)


def to_band_table(table: RiskBandTable) -> assessment.BandTable:
    factors: dict[str, list[assessment.ScaleValue]] = {}
    for fv in table.factor_values.all():
        factors.setdefault(fv.factor, []).append(assessment.ScaleValue(fv.value, fv.label))
    return assessment.BandTable(
        method=table.method,
        code=table.code,
        name=table.name,
        factors={f: tuple(values) for f, values in factors.items()},
        bands=tuple(assessment.Band(b.min_score, b.max_score, b.level, b.label) for b in table.bands.all()),
        version=table.version,
        region_code=table.region_code,
        verified=table.verified,
        source=table.source,
        id=table.pk,
    )


def can_configure(actor: User, region_code: str) -> bool:
    """System administrators set any table; a province office only its own province's tables."""
    role = getattr(actor, "role", None)
    if not getattr(actor, "is_active", False):
        return False
    if role == Role.SYSADMIN:
        return True
    return role == Role.PROVINCE_OFFICE and bool(region_code) and actor.region_code == region_code


def set_band_table(
    *,
    method: str,
    region_code: str = "",
    code: str,
    name: str,
    bands: Sequence[assessment.Band],
    factors: Mapping[str, Sequence[assessment.ScaleValue]] | None = None,
    source: str,
    verified: bool = False,
    verification_note: str = "",
    comment: str = "",
    actor: User,
) -> RiskBandTable:
    """Make a new version the active table of `method` for `region_code` ("" = national default).

    The previous active version is kept, only deactivated; both changes are audited. `factors`
    defaults to the value tables of the table currently in force for that province.
    """
    region_code = region_code or ""
    if not can_configure(actor, region_code):
        raise NotPermitted("只有系统管理员或本省安委办可以设置风险分级表")
    errors = _check(method, region_code, code, name, source, bands, factors)
    errors += _lengths(
        code=code, name=name, source=source, verification_note=verification_note, comment=comment
    )
    if errors:
        raise ValidationFailed(errors)
    if factors is None:
        factors = to_band_table(active_table(method, region_code)).factors
    try:
        with transaction.atomic():
            return _create_version(
                method,
                region_code,
                code,
                name,
                bands,
                factors,
                source,
                verified,
                verification_note,
                comment,
                actor,
            )
    except IntegrityError as exc:  # a concurrent change took the same version number
        raise Conflict("stale", "分级表刚被他人修改，请刷新后重试") from exc


TEXT_MAX = 2000  # a table's source, verification note and comment
LABELS = {
    "code": "代码",
    "name": "名称",
    "source": "出处",
    "verification_note": "核实说明",
    "comment": "说明",
}


def _lengths(**values: str) -> list[FieldError]:
    """Each text refused past its column (code, name) or TEXT_MAX (the free texts), never cut."""
    errors = []
    for field, value in values.items():
        column = RiskBandTable._meta.get_field(field)
        assert isinstance(column, models.Field)  # a column of the table, not a relation
        limit = column.max_length or TEXT_MAX
        if len(value or "") > limit:
            errors.append(FieldError(field, "too_long", f"{LABELS[field]}不能超过{limit}个字"))
    return errors


def _check(
    method: str,
    region_code: str,
    code: str,
    name: str,
    source: str,
    bands: Sequence[assessment.Band],
    factors: Mapping[str, Sequence[assessment.ScaleValue]] | None,
) -> list[FieldError]:
    errors = []
    if method not in assessment.METHODS:
        return [FieldError("method", "invalid_choice", "评价方法须为 LEC 或 LS")]
    if region_code and not Region.objects.filter(code=region_code, level=RegionLevel.PROVINCE).exists():
        errors.append(FieldError("region", "invalid", f"「{region_code}」不是省级行政区划代码"))
    for field, value, label in (("code", code, "代码"), ("name", name, "名称"), ("source", source, "出处")):
        if not (value or "").strip():
            errors.append(FieldError(field, "required", f"请填写{label}"))
    errors += [FieldError("bands", "invalid", p) for p in assessment.band_problems(bands)]
    if factors is not None:
        errors += [FieldError("factors", "invalid", p) for p in assessment.factor_problems(method, factors)]
    return errors


def _create_version(
    method: str,
    region_code: str,
    code: str,
    name: str,
    bands: Sequence[assessment.Band],
    factors: Mapping[str, Sequence[assessment.ScaleValue]],
    source: str,
    verified: bool,
    note: str,
    comment: str,
    actor: User,
) -> RiskBandTable:
    existing = list(
        RiskBandTable.objects.select_for_update()
        .filter(method=method, region_code=region_code)
        .order_by("-version")
    )
    previous = next((t for t in existing if t.active), None)
    if previous is not None:
        before = audit.snapshot(previous)
        previous.active = False
        previous.save(update_fields=["active"])
        audit.record_update(previous, before, actor=actor, comment="已被新版本取代")
    table = RiskBandTable.objects.create(
        method=method,
        region_code=region_code,
        version=(existing[0].version + 1) if existing else 1,
        code=code.strip(),
        name=name.strip(),
        source=source.strip(),
        verified=verified,
        verification_note=note,
        supersedes=previous or (existing[0] if existing else None),
        comment=comment,
        created_by=actor,
    )
    RiskFactorValue.objects.bulk_create(
        RiskFactorValue(table=table, factor=f, value=v.value, label=v.label, order=order)
        for f in assessment.FACTORS[method]
        for order, v in enumerate(factors[f])
    )
    ordered = sorted(bands, key=lambda b: b.min_score, reverse=True)
    RiskBand.objects.bulk_create(
        RiskBand(
            table=table,
            order=order,
            min_score=b.min_score,
            max_score=b.max_score,
            level=b.level,
            label=b.label,
        )
        for order, b in enumerate(ordered)
    )
    after = audit.snapshot(table)
    fmt = assessment.fmt
    after["factors"] = {f: [fmt(v.value) for v in factors[f]] for f in assessment.FACTORS[method]}
    after["bands"] = [
        [fmt(b.min_score), None if b.max_score is None else fmt(b.max_score), b.level] for b in ordered
    ]
    audit.record(AuditAction.CREATE, table, actor=actor, after=after, comment=comment)
    return table


# --- substance categories ------------------------------------------------------------------------


def held_categories() -> dict[int, gb18218.HeldCategory]:
    return {
        row.table1_no: gb18218.HeldCategory(tuple(row.categories), row.verified, row.source)
        for row in SubstanceCategory.objects.all()
    }


@transaction.atomic
def set_substance_category(
    table1_no: int, categories: Sequence[str], *, source: str, verified: bool, note: str = "", actor: User
) -> SubstanceCategory:
    """Record (audited) the 表2 category symbols of a 表1 substance, with the citation they come from."""
    if getattr(actor, "role", None) != Role.SYSADMIN or not actor.is_active:
        raise NotPermitted("只有系统管理员可以维护物质危险性类别")
    rows = {r.no: r for r in gb18218.tables().table1}
    t2 = gb18218.tables().table2
    errors = []
    if table1_no not in rows:
        errors.append(FieldError("table1_no", "invalid", f"表1中没有第{table1_no}项"))
    bad = [c for c in categories if c not in t2]
    if not categories or bad:
        errors.append(FieldError("categories", "invalid", "请给出表2的危险性类别符号（J1–J5、W1.1–W11）"))
    if not (source or "").strip():
        errors.append(FieldError("source", "required", "请填写出处"))
    if errors:
        raise ValidationFailed(errors)
    row = rows[table1_no]
    values = {
        "name": row.name,
        "cas": row.cas[0] if row.cas else "",
        "categories": list(categories),
        "source": source.strip(),
        "verified": verified,
        "note": note,
    }
    entry = SubstanceCategory.objects.select_for_update().filter(table1_no=table1_no).first()
    if entry is None:
        entry = SubstanceCategory.objects.create(table1_no=table1_no, **values)
        audit.record_create(entry, actor=actor)
        return entry
    before = audit.snapshot(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.save()
    audit.record_update(entry, before, actor=actor)
    return entry
