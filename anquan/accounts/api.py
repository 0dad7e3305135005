from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.errors import HttpError

from .models import ApiToken, User
from .roles import Perm, has_perm
from .scope import restrict

token_router = Router(tags=["auth"], auth=None)
router = Router(tags=["users"])


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
        raise HttpError(403, "无权执行此操作")
    qs = restrict(User, request.user).select_related("region", "department", "enterprise")
    count = qs.count()
    return {"items": [_user_out(u) for u in qs[offset : offset + max(1, min(limit, 500))]], "count": count}


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
