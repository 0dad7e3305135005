from django.contrib.auth import authenticate
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from anquan.core.errors import NotPermitted
from anquan.core.idempotency import key_from, run_once

from . import services
from .models import ApiToken, User
from .roles import Perm, has_perm
from .scope import restrict

token_router = Router(tags=["auth"], auth=None)
router = Router(tags=["users"])


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


class Credentials(Schema):
    username: str
    password: str


@token_router.post("/token", response=dict)
def issue_token(request, payload: Credentials):
    """Exchange a username and password for a bearer token (failures count toward lockout)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, "登录失败次数过多，账户已暂时锁定，请稍后再试")
    if user is None or not user.is_active:
        raise HttpError(401, "用户名或密码错误")
    return {"token": ApiToken.issue(user)}


@router.get("/me", response=dict)
def me(request):
    user = request.user
    return _user_out(user)


@router.get("", response=dict)
def list_users(request, limit: int = 50, offset: int = 0):
    if not has_perm(request.user, Perm.USER_MANAGE):
        raise NotPermitted
    qs = restrict(User, request.user).select_related("region", "department", "enterprise")
    count = qs.count()
    return {"items": [_user_out(u) for u in qs[offset : offset + max(1, min(limit, 500))]], "count": count}


@router.post("", response={201: dict})
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


def _user_out(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "region": user.region.code if user.region_id else None,
        "department": user.department.name if user.department_id else None,
        "enterprise": user.enterprise.uscc if user.enterprise_id else None,
    }
