from django.db import transaction

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.hooks import Hook
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import region_in_scope

from .models import IndustryDepartmentRule

# Hook `orgs.services.rule_changed`: function(region, industry, actor), called in the transaction of `set_rule`;
# the enterprises app registers the re-derivation of its enterprises' supervising departments (and the move of
# their current records) under the changed rule.
rule_changed = Hook("orgs.services.rule_changed")


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
    rule_changed.call(region, industry, actor)  # enterprises re-derived under the new rule
    return result
