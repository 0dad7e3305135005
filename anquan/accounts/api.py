"""Accounts API: bearer tokens (`/auth/…`) and users (`/users/…`), typed (issue #9 items 1 and 7)."""

import datetime as dt

from django.contrib.auth import authenticate
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import NotPermitted
from anquan.core.idempotency import key_from, run_once
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict

from . import services, tokens
from .choices import RevokeReason
from .lockout import lockout_response
from .models import ApiToken, User

token_router = Router(tags=["auth"], auth=None)  # issuing a token needs no token
tokens_router = Router(tags=["auth"])  # listing and revoking them does
router = Router(tags=["users"])


# ---- schemas -------------------------------------------------------------------------------------


class Credentials(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    label: str = Field("", max_length=100, description="客户端名称（便于在令牌列表中辨认，可空）")


class TokenIssuedOut(Schema):
    token: str = Field(description="令牌（仅此一次返回，请妥善保存）")
    id: int
    expires_at: dt.datetime


class TokenOut(Schema):
    id: int
    user: str = Field(description="令牌所属用户名")
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(description="最近使用时间（约每5分钟更新一次）")
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str = Field(
        description="撤销原因：owner、admin、all、disabled、password_changed；未撤销为空"
    )
    status: str = Field(description="active、expired 或 revoked")


class TokensRevokedOut(Schema):
    revoked: int = Field(description="本次撤销的令牌数")


class UserIn(Schema):
    username: str
    role: str
    password: str
    region: str | None = None
    department: str | None = None
    enterprise: str | None = None
    grid: str | None = None
    full_name: str = ""
    phone: str = ""


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    region: str | None = Field(description="管辖区域代码")
    department: str | None = Field(description="所属部门名称")
    enterprise: str | None = Field(description="所属企业统一社会信用代码")
    is_active: bool


class UserChangeIn(Schema):
    is_active: bool | None = Field(None, description="停用（false）或启用（true）账户；停用即撤销其全部令牌")
    password: str | None = Field(None, max_length=4096, description="为该用户设置新密码（撤销其全部令牌）")


class PasswordChangeIn(Schema):
    old_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096)


# ---- tokens --------------------------------------------------------------------------------------


@token_router.post("/token", response=responses(TokenIssuedOut, 400, 401, 415, 429))
def issue_token(request, payload: Credentials):
    """Exchange a username and password for a bearer token that expires after `ANQUAN_TOKEN_DAYS` days.

    Failures count toward the lockout (per username and address, and per address over all usernames):
    a locked-out attempt answers 429 with `Retry-After`."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return lockout_response(request)
    if user is None or not user.is_active:
        raise HttpError(401, "用户名或密码错误")
    token, key = tokens.issue(user, label=payload.label, actor=user)
    return {"token": key, "id": token.pk, "expires_at": token.expires_at}


@tokens_router.get("/tokens", response=responses(Page[TokenOut], 404))
def list_tokens(
    request,
    paging: Query[PageParams],
    user: str | None = Query(None, description="用户ID或用户名（管理员查看其管辖范围内用户的令牌）"),
):
    """Your tokens, newest first (never their keys); with `?user=` those of a user in your scope."""
    target = tokens.find_user(request.user, user) if user else None
    return page(tokens.tokens_of(request.user, target), paging, _token_out)


@tokens_router.delete("/tokens/{int:token_id}", response=responses(TokenOut, 404))
def revoke_token(request, token_id: int):
    """Revoke one token: your own, or (administrators) one of a user in your scope. Revoking twice changes nothing."""
    token = tokens.get_token(request.user, token_id)
    return _token_out(tokens.revoke(token, actor=request.user))


@tokens_router.post("/tokens/revoke-all", response=responses(TokensRevokedOut, 404))
def revoke_all_tokens(
    request, user: str | None = Query(None, description="用户ID或用户名（管理员撤销其管辖范围内用户的令牌）")
):
    """Revoke every live token of yours (the one making this call included), or of a user in your scope."""
    target = tokens.find_user(request.user, user) if user else request.user
    reason = RevokeReason.ALL if target.pk == request.user.pk else RevokeReason.ADMIN
    return {"revoked": tokens.revoke_all(target, actor=request.user, reason=reason)}


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "user": token.user.username,
        "label": token.label,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "revoked_reason": token.revoked_reason,
        "status": token.status,
    }


# ---- users ---------------------------------------------------------------------------------------


@router.get("/me", response=responses(UserOut))
def me(request):
    return _user_out(request.user)


@router.post("/me/password", response=responses({204: None}, 400, 415))
def change_own_password(request, payload: PasswordChangeIn):
    """Change your own password (the old one required). Every API token of yours is revoked."""
    services.set_password(
        request.user, payload.new_password, actor=request.user, old_password=payload.old_password
    )
    return Status(204, None)


@router.get("", response=responses(Page[UserOut], 403))
def list_users(request, paging: Query[PageParams]):
    if not has_perm(request.user, Perm.USER_MANAGE):
        raise NotPermitted
    qs = restrict(User, request.user).select_related("region", "department", "enterprise")
    return page(qs, paging, _user_out)


@router.post("", response=responses({201: UserOut}, 400, 403, 409, 415))
def create_user(request, payload: UserIn):
    """Create an account inside the caller's own scope (natural keys: region code, department name, USCC)."""

    def create():
        user = services.create_user(
            actor=request.user,
            username=payload.username,
            role=payload.role,
            password=payload.password,
            region_code=payload.region,
            department_name=payload.department,
            enterprise_uscc=payload.enterprise,
            grid_code=payload.grid,
            full_name=payload.full_name,
            phone=payload.phone,
        )
        return 201, _user_out(user)

    status, body = run_once(request, "users.create", key_from(request), create)
    return Status(status, body)


@router.patch("/{int:user_id}", response=responses(UserOut, 400, 403, 404, 415))
def change_user(request, user_id: int, payload: UserChangeIn):
    """Disable or enable an account, or set its password (administrators, inside their scope). Disabling or a
    new password revokes every API token of the account; enabling it again does not bring them back."""
    if not has_perm(request.user, Perm.USER_MANAGE):
        raise NotPermitted
    target = get_in_scope(
        User.objects.select_related("region", "department", "enterprise"), request.user, pk=user_id
    )
    if payload.is_active is False and target.pk == request.user.pk:
        raise NotPermitted("不能停用自己的账户")
    if payload.password is not None:
        services.set_password(target, payload.password, actor=request.user)
    if payload.is_active is not None and payload.is_active != target.is_active:
        services.set_active(target, payload.is_active, actor=request.user)
    return _user_out(target)


def _user_out(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "region": user.region.code if user.region is not None else None,
        "department": user.department.name if user.department is not None else None,
        "enterprise": user.enterprise.uscc if user.enterprise is not None else None,
        "is_active": user.is_active,
    }
