"""Password rules beyond Django's (settings.AUTH_PASSWORD_VALIDATORS), every message in Chinese.

- `MinimumLengthValidator`: Django 5.2 reworded its "too short" message (`%d` instead of `%(min_length)d`)
  and its zh_Hans catalogue still carries only the old wording, so the message came out in English. This
  subclass says it with a msgid of our own catalogue.
- `DenyListValidator`: passwords that must never be used, whatever their strength: the published demo
  password always, plus `ANQUAN_PASSWORD_DENYLIST` (comma-separated). Compared ignoring case and spaces.
  Demo accounts get the demo password only through `anquan demo` (`scripts/demo`), which stores its hash
  directly (`services.create_user(password_hash=…)`, scripts only) and so never meets these rules.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEMO_PASSWORD = "Anquan@2026"  # printed by `anquan demo` and in the README: public, so never a real password


def denied_passwords() -> set[str]:
    extra = getattr(settings, "ANQUAN_PASSWORD_DENYLIST", [])
    return {_normal(p) for p in [DEMO_PASSWORD, *extra] if p.strip()}


def _normal(password: str) -> str:
    return "".join(password.split()).casefold()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "The password is too short: it needs at least %(min_length)d character.",
            "The password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class DenyListValidator:
    def validate(self, password, user=None):
        if _normal(password or "") in denied_passwords():
            raise ValidationError(
                _("This password is published or not allowed here: choose another one."),
                code="password_denied",
            )

    def get_help_text(self):
        return _("Your password cannot be a published or forbidden one (such as the demo password).")
