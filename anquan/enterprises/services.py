"""Writing enterprises: every create, change and delete goes through here and is audited."""

from __future__ import annotations

from django.db import transaction

from anquan.accounts.roles import Perm, has_perm
from anquan.accounts.scope import in_scope
from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.orgs.models import department_for_industry

from . import moves
from .models import Enterprise
from .validation import clean_enterprise


def _apply(enterprise: Enterprise, cleaned: dict) -> None:
    for name, value in cleaned.items():
        setattr(enterprise, name, value)
    if "supervising_department" in cleaned:
        enterprise.department_overridden = cleaned["supervising_department"] is not None
    if enterprise.territorial_region_id is None:
        enterprise.territorial_region = enterprise.region
    if not enterprise.department_overridden:
        # 三管三必须: derived from the industry where the enterprise lies
        enterprise.supervising_department = department_for_industry(
            enterprise.industry, enterprise.region.code
        )


def _check_scope_after_write(enterprise: Enterprise, actor) -> None:
    # STYLE practice 3: a write must not move a row out of the writer's own scope
    if actor is not None and not isinstance(actor, str) and not in_scope(enterprise, actor):
        raise ValidationFailed(
            [FieldError("supervising_department", "out_of_scope", "保存后该企业将不在您的管辖范围内")]
        )


@transaction.atomic
def create_enterprise(raw: dict, *, actor, comment: str = "") -> Enterprise:
    if not has_perm(actor, Perm.ENTERPRISE_ADD):
        raise NotPermitted
    cleaned, errors = clean_enterprise(raw, user=actor)
    if errors:
        raise ValidationFailed(errors)
    enterprise = Enterprise()
    _apply(enterprise, cleaned)
    enterprise.save()
    _check_scope_after_write(enterprise, actor)
    audit.record_create(enterprise, actor=actor, comment=comment)
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, raw: dict, *, actor, comment: str = "") -> Enterprise:
    if not has_perm(actor, Perm.ENTERPRISE_CHANGE):
        raise NotPermitted
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = audit.snapshot(enterprise)
    place = moves.Place.of(enterprise)
    cleaned, errors = clean_enterprise(raw, user=actor, instance=enterprise)
    if errors:
        raise ValidationFailed(errors)
    _apply(enterprise, cleaned)
    enterprise.save()
    _check_scope_after_write(enterprise, actor)
    audit.record_update(enterprise, before, actor=actor, comment=comment)
    moves.follow_enterprise(enterprise, place, actor=actor)  # its current records move with it
    return enterprise


@transaction.atomic
def delete_enterprise(enterprise: Enterprise, *, actor) -> None:
    if not has_perm(actor, Perm.ENTERPRISE_DELETE):
        raise NotPermitted
    audit.record_delete(enterprise, actor=actor)
    enterprise.delete()
