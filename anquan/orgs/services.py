from django.db import transaction

from anquan.accounts.roles import Perm, has_perm
from anquan.accounts.scope import region_in_scope, within
from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed

from .models import IndustryDepartmentRule


@transaction.atomic
def set_rule(*, actor, region, industry, department) -> IndustryDepartmentRule | None:
    """Set (or, with department None, remove) the 三管三必须 rule of `industry` in `region`.

    Enterprises whose department was derived are re-derived in the region's subtree.
    """
    if not has_perm(actor, Perm.ORG_MANAGE):
        raise NotPermitted
    if not region_in_scope(actor, region.code):
        raise ValidationFailed([FieldError("region", "out_of_scope", "只能修改本级及下级区域的职责分工")])
    rule = IndustryDepartmentRule.objects.filter(region=region, industry=industry).first()
    if department is None:
        if rule is not None:
            audit.record_delete(rule, actor=actor)
            rule.delete()
        result = None
    elif rule is None:
        result = IndustryDepartmentRule.objects.create(
            region=region, industry=industry, department=department
        )
        audit.record_create(result, actor=actor)
    else:
        before = audit.snapshot(rule)
        rule.department = department
        rule.save()
        audit.record_update(rule, before, actor=actor)
        result = rule
    _rederive(region, industry, actor)
    return result


def _rederive(region, industry, actor) -> None:
    from anquan.enterprises import moves
    from anquan.enterprises.models import Enterprise
    from anquan.orgs.models import department_for_industry

    affected = Enterprise.objects.filter(
        within(region.prefix), industry=industry, department_overridden=False
    ).select_related("region")
    cache = {}
    for enterprise in affected.iterator():
        if enterprise.region_code not in cache:
            cache[enterprise.region_code] = department_for_industry(industry, enterprise.region_code)
        department = cache[enterprise.region_code]
        if enterprise.supervising_department_id != (department.pk if department else None):
            before = audit.snapshot(enterprise)
            place = moves.Place.of(enterprise)
            enterprise.supervising_department = department
            enterprise.save(update_fields=["supervising_department", "updated_at"])
            audit.record_update(enterprise, before, actor=actor, comment="三管三必须职责分工调整")
            moves.follow_enterprise(
                enterprise,
                place,
                actor=actor,
                reason=f"三管三必须职责分工调整：“{enterprise.name}”的当前记录随行业监管部门迁移",
            )
