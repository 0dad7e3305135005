"""The token in a risk point's public address (what its notice card's QR code opens).

Not the id: ``<id in base 36>-<HMAC>``, the HMAC-SHA256 of the id under SECRET_KEY (its own key salt), cut
to 16 bytes (128 bits) and written in URL-safe base64. Nobody can make the token of another point, so the
public pages cannot be walked by counting; the token stays short, so the QR code has few modules and scans
from a distance. A token made under a key now listed in SECRET_KEY_FALLBACKS still opens the page: keep
the old key there after rotating SECRET_KEY, or every posted card's code stops working (docs/adr).
"""

from __future__ import annotations

import base64
import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.http import base36_to_int, int_to_base36

KEY_SALT = "anquan.riskpoints.public-page"
MAC_BYTES = 16


def _mac(pk: int, secret: str) -> str:
    digest = salted_hmac(KEY_SALT, str(pk), secret=secret, algorithm="sha256").digest()[:MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def public_token(pk: int) -> str:
    return f"{int_to_base36(pk)}-{_mac(pk, settings.SECRET_KEY)}"


def point_id(token: str) -> int | None:
    """The id a token was made for, or None for anything else (malformed, forged, made under an unknown key)."""
    head, _, mac = token.partition("-")
    if not head or not mac or len(head) > 13 or len(mac) > 32:
        return None
    try:
        pk = base36_to_int(head)
    except ValueError:
        return None
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(hmac.compare_digest(mac, _mac(pk, secret)) for secret in secrets):
        return pk
    return None
