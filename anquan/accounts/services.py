"""Creating and changing accounts; administrators act only inside their own scope."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import in_scope, region_in_scope
from anquan.orgs.models import Department
from anquan.regions.models import Grid, Region

from . import tokens
from .choices import RevokeReason
from .models import User
from .roles import ROLE_SPECS


def _enterprise_model():
    """The enterprise model, read from the account's own relation (accounts sit below enterprises)."""
    return User._meta.get_field("enterprise").related_model


def _check_scope_fields(role, region_code, department_name, enterprise_uscc, errors, actor):
    spec = ROLE_SPECS.get(role)
    if spec is None:
        errors.append(
            FieldError("role", "invalid_choice", f"角色“{role}”无效，可选：{'、'.join(Role.values)}")
        )
        return None, None, None
    region = Region.objects.filter(code=region_code or "").first() if region_code else None
    department = enterprise = None
    if enterprise_uscc:
        enterprise = (
            _enterprise_model()
            .objects.select_related("region")
            .filter(uscc=enterprise_uscc.strip().upper())
            .first()
        )
        if enterprise is None:
            errors.append(
                FieldError(
                    "enterprise", "unknown_enterprise", f"统一社会信用代码为{enterprise_uscc}的企业不存在"
                )
            )
        elif region is None:
            region = enterprise.region
    if region is None:
        errors.append(FieldError("region", "unknown_region", f"区域代码“{region_code or ''}”不存在"))
    elif region.level not in spec.region_levels:
        errors.append(FieldError("region", "wrong_level", f"{Role(role).label}的管辖区域层级不符"))
    if spec.needs_department:
        department = Department.objects.filter(name=department_name or "").first()
        if department is None:
            errors.append(FieldError("department", "required", "该角色须指定所属部门（部门名称）"))
    elif department_name:
        errors.append(FieldError("department", "not_applicable", "该角色不属于部门"))
    if spec.needs_enterprise and enterprise is None and not enterprise_uscc:
        errors.append(FieldError("enterprise", "required", "企业用户须指定所属企业（统一社会信用代码）"))
    if enterprise is not None and not spec.needs_enterprise:
        errors.append(FieldError("enterprise", "not_applicable", "该角色不属于企业"))
    if enterprise is not None and region is not None and not enterprise.region_code.startswith(region.prefix):
        errors.append(FieldError("region", "enterprise_outside_region", "企业不在所选区域内"))
    if actor is not None:
        if region is not None and not region_in_scope(actor, region.code):
            errors.append(FieldError("region", "out_of_scope", "只能在本人管辖范围内创建用户"))
        if enterprise is not None and not in_scope(enterprise, actor):
            errors.append(FieldError("enterprise", "out_of_scope", "该企业不在您的管辖范围内"))
        if role == Role.SYSADMIN and not has_perm(actor, Perm.SYSTEM_MANAGE):
            errors.append(FieldError("role", "not_permitted", "只有系统管理员可以创建系统管理员"))
    return region, department, enterprise


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    role: str,
    password: str,
    region_code: str | None = None,
    department_name: str | None = None,
    enterprise_uscc: str | None = None,
    full_name: str = "",
    phone: str = "",
    grid_code: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create an account. `actor` None means a provisioning script (the `createuser` command).

    `password_hash` (scripts only) sets an already-hashed password instead of `password`: provisioning
    from a system that holds hashes, or demo accounts that share one password hashed once."""
    if password_hash is not None and actor is not None:
        raise NotPermitted("只有部署脚本可以直接设置密码散列")
    if actor is not None and not has_perm(actor, Perm.USER_MANAGE):
        raise NotPermitted
    errors: list[FieldError] = []
    username = (username or "").strip()
    if not username:
        errors.append(FieldError("username", "required", "用户名不能为空"))
    elif User.objects.filter(username=username).exists():
        errors.append(FieldError("username", "duplicate", f"用户名“{username}”已存在"))
    region, department, enterprise = _check_scope_fields(
        role, region_code, department_name, enterprise_uscc, errors, actor
    )
    grid = None
    if grid_code:
        grid = Grid.objects.filter(code=grid_code.strip()).first()
        if grid is None:
            errors.append(FieldError("grid", "unknown_grid", f"网格编码“{grid_code}”不存在"))
        elif role != Role.GRID_WORKER:
            errors.append(FieldError("grid", "not_applicable", "只有网格员可以分配网格"))
        elif region is not None and not grid.region_code.startswith(region.prefix):
            errors.append(FieldError("grid", "grid_outside_region", "网格不在该用户的区域内"))
    if password_hash is None:
        try:
            validate_password(
                password or "", User(username=username, full_name=full_name.strip(), phone=phone.strip())
            )
        except ValidationError as exc:
            errors.extend(FieldError("password", "weak_password", str(m)) for m in exc.messages)
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=username,
        role=role,
        region=region,
        department=department,
        enterprise=enterprise,
        full_name=full_name.strip(),
        phone=phone.strip(),
    )
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    audit.record_create(user, actor=actor or "createuser", comment=f"角色：{user.get_role_display()}")
    if grid is not None:
        grid.workers.add(user)
        audit.record(
            audit.AuditAction.UPDATE, grid, actor=actor or "createuser", comment=f"网格员 {user.username}"
        )
    return user


def _check_manages(actor, user: User) -> None:
    """An administrator changes only accounts in their scope, and only a sysadmin changes a sysadmin."""
    if not in_scope(user, actor):
        raise Http404
    if user.role == Role.SYSADMIN and not has_perm(actor, Perm.SYSTEM_MANAGE):
        raise NotPermitted("只有系统管理员可以修改系统管理员账户")


@transaction.atomic
def set_active(user: User, active: bool, *, actor) -> User:
    if not has_perm(actor, Perm.USER_MANAGE):
        raise NotPermitted
    _check_manages(actor, user)
    before = audit.snapshot(user)
    if not active:
        tokens.revoke_all(user, actor=actor, reason=RevokeReason.DISABLED)  # re-enabling never revives them
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record_update(user, before, actor=actor)
    return user


@transaction.atomic
def set_password(user: User, password: str, *, actor, old_password: str | None = None) -> User:
    """Change a password: the user themselves (with `old_password` when given by a page or the API), or an
    administrator of the user's scope. The user's API tokens are revoked (DESIGN: issue #9 item 1)."""
    if actor is not None and actor.pk != user.pk:
        if not has_perm(actor, Perm.USER_MANAGE):
            raise NotPermitted
        _check_manages(actor, user)
    if old_password is not None and not user.check_password(old_password):
        raise ValidationFailed([FieldError("old_password", "wrong_password", "原密码不正确")])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            # named as the caller sent it: `new_password` beside `old_password` (own change), else `password`
            [
                FieldError(
                    "new_password" if old_password is not None else "password", "weak_password", str(m)
                )
                for m in exc.messages
            ]
        ) from exc
    tokens.revoke_all(user, actor=actor or "system", reason=RevokeReason.PASSWORD_CHANGED)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(audit.AuditAction.UPDATE, user, actor=actor or "system", comment="password changed")
    return user
