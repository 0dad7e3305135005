"""API bearer tokens: issued (audited, expiring), checked, listed and revoked (issue #9 item 1).

A token is valid while it is not revoked, not expired (`ANQUAN_TOKEN_DAYS` after issue) and its user is
active. Disabling an account or changing its password revokes its tokens (`User.save`), so re-enabling the
account never brings one back. The owner sees and revokes their own tokens; whoever manages users sees and
revokes the tokens of the users in their scope (`scope.restrict`); anyone else's are answered as absent.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.core import audit
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict

from .choices import RevokeReason
from .models import ApiToken, User

LAST_USED_EVERY = dt.timedelta(minutes=5)  # `last_used_at` is refreshed at most this often (no write per GET)


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.ANQUAN_TOKEN_DAYS)


@transaction.atomic
def issue(user: User, *, label: str = "", actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the key (shown once, only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        label=label.strip(),
        created_at=now,
        expires_at=now + lifetime(),
    )
    audit.record(
        audit.AuditAction.CREATE,
        token,
        actor=actor if actor is not None else user,
        after=_state(token),
        comment=f"签发API令牌{f'（{token.label}）' if token.label else ''}",
    )
    return token, key


def authenticate(key: str) -> User | None:
    """The user a bearer key stands for, or None (unknown, revoked, expired or a disabled account)."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def manageable_users(actor) -> QuerySet:
    """Whose tokens `actor` may see and revoke: the users in their scope if they manage users, else themselves."""
    if has_perm(actor, Perm.USER_MANAGE):
        return restrict(User, actor) | User.objects.filter(pk=actor.pk)
    return User.objects.filter(pk=actor.pk, is_active=True)


def find_user(actor, ref: str | int) -> User:
    """The user with id `ref` (an int) or named `ref` (a str: a username, else an id), if `actor` may manage
    their tokens; else Http404. A username made of digits (a phone number) wins over an id."""
    users = manageable_users(actor)
    if isinstance(ref, int):
        return users.filter(pk=ref).first() or _absent()
    text = ref.strip()
    user = users.filter(username=text).first()
    if user is None and text.isdigit() and len(text) < 19:
        user = users.filter(pk=int(text)).first()
    if user is None:
        raise Http404
    return user


def _absent():
    raise Http404


def tokens_of(actor, user: User | None = None) -> QuerySet:
    """The tokens `actor` sees: of `user` (found with `find_user`), else their own."""
    return ApiToken.objects.filter(user=user or actor).select_related("user")


def get_token(actor, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None or not manageable_users(actor).filter(pk=token.user_id).exists():
        raise Http404
    return token


@transaction.atomic
def revoke(token: ApiToken, *, actor, reason: str | None = None) -> ApiToken:
    """Revoke one token (again revoking an already revoked one changes nothing)."""
    if token.revoked_at is not None:
        return token
    if reason is None:
        reason = RevokeReason.OWNER if getattr(actor, "pk", None) == token.user_id else RevokeReason.ADMIN
    before = _state(token)
    now = timezone.now()
    # compare-and-set: of two concurrent revocations one changes the row and is audited
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason
    ):
        token.refresh_from_db(fields=["revoked_at", "revoked_reason"])
        return token
    token.revoked_at, token.revoked_reason = now, reason
    audit.record(
        audit.AuditAction.UPDATE,
        token,
        actor=actor,
        before=before,
        after=_state(token),
        comment=f"撤销API令牌：{RevokeReason(reason).label}",
    )
    return token


@transaction.atomic
def revoke_all(user: User, *, actor, reason: str = RevokeReason.ALL) -> int:
    """Revoke every live token of `user`; returns how many. Each revocation is audited."""
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in live:
        token.user = user
        revoke(token, actor=actor, reason=reason)
    return len(live)


def _state(token: ApiToken) -> dict:
    return {
        "user": token.user.username,
        "label": token.label,
        "expires_at": token.expires_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "revoked_reason": token.revoked_reason,
    }
