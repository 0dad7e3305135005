import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, Role, roles_with
from anquan.core.scope import ScopeSpec
from anquan.orgs.models import Department
from anquan.regions.models import Region

from .choices import RevokeReason


class User(AbstractUser):
    """An account: role + scope (region node, narrowed to a department or to one enterprise)."""

    scope = ScopeSpec(region="region_code", enterprise="enterprise_id")

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"), null=True
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False, default="")
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("enterprise"),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_made_unusable = True

    def save(self, *args, **kwargs):
        """Saving a changed password (`set_password`, whoever calls it: page, API, service, the `changepassword`
        command) or a disabled account revokes the account's API tokens; re-enabling never revives them.
        Django's own hash upgrade on login is no password change (it clears `_password`) and revokes nothing.
        (Only `QuerySet.update()` bypasses this; the token check refuses a disabled user's tokens anyway.)"""
        self.region_code = self.region.code if self.region is not None else ""
        reason = None if self._state.adding else self._tokens_revoke_reason(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        self.__dict__.pop("_password_made_unusable", None)
        if reason is not None:
            from .tokens import revoke_all

            revoke_all(self, actor=None, reason=reason)

    def _tokens_revoke_reason(self, update_fields) -> str | None:
        fields = None if update_fields is None else set(update_fields)
        if (fields is None or "password" in fields) and (
            self._password is not None  # type: ignore[attr-defined]  # set by set_password (Django private)
            or self.__dict__.get("_password_made_unusable")
        ):
            return RevokeReason.PASSWORD_CHANGED
        if (fields is None or "is_active" in fields) and not self.is_active:
            return RevokeReason.DISABLED  # a disabled account has no live token, whatever it was before
        return None


class ApiToken(models.Model):
    """Bearer token for the API. Only a hash is stored; the token is shown once (`tokens.issue`).

    Valid while not revoked, not expired and its user is active (`tokens.authenticate`)."""

    scope = ScopeSpec(region="user__region_code", enterprise="user__enterprise_id")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("client"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, choices=RevokeReason.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_live")]

    def __str__(self) -> str:
        return f"API令牌 #{self.pk}（{self.user.username}）"

    @property
    def region_code(self) -> str:
        return self.user.region_code

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, label: str = "") -> str:
        """A new token for `user` (audited, expiring); returns the key, which is stored nowhere."""
        from .tokens import issue

        return issue(user, label=label, actor=user)[1]


class EnforcementCertificate(models.Model):
    """An inspector's enforcement certificate (执法证). Only inspectors holding one valid on a draw's date are in
    its pool of inspectors (anquan.draws). `home_township` is the township the inspector lives or is stationed in:
    a random draw never sends them to an enterprise there (回避)."""

    scope = ScopeSpec(
        region="user__region_code",
        department="user__department_id",
        change=roles_with(Perm.CERTIFICATE_MANAGE),
    )

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("inspector")
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    area = models.CharField(_("scope of enforcement"), max_length=200, blank=True)
    home_township = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home township (excluded from draws)"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["user__username", "-valid_until", "id"]
        verbose_name = _("enforcement certificate")
        indexes = [models.Index(fields=["user", "valid_until"], name="certificate_user_valid")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="certificate_valid_range"
            )
        ]

    def __str__(self) -> str:
        return f"执法证 {self.number}（{self.user}）"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until
