"""Personal data at rest (docs/adr/0033-tip-off-identity-encryption.md): the generic cipher and keyed hash.

Values are stored only encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived
from `settings.IDENTITY_KEY` (ANQUAN_IDENTITY_KEY, kept outside the database); a value that must be counted or
looked up is also stored as an HMAC-SHA256 under a second key derived from the same secret for that purpose.
Retired keys (ANQUAN_IDENTITY_OLD_KEYS) still decrypt; the hash is always the current key's. Used by the
tip-offs' reporter identity and the key-post personnel's ID numbers."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def _fernet() -> MultiFernet:
    keys = [settings.IDENTITY_KEY, *settings.IDENTITY_OLD_KEYS]
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(k, b"anquan-identity:encrypt"))) for k in keys]
    )


def encrypt(value: str) -> str:
    """The Fernet token of `value` ('' stays '')."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token; '' for '' and "（无法解密）" for a token no known key opens (a lost key)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        return "（无法解密：密钥已更换或丢失）"


def keyed_hash(value: str, purpose: bytes) -> str:
    """The keyed hash of `value` for one purpose (b"anquan-identity:phone-hash" …); '' for ''."""
    if not value:
        return ""
    return hmac.new(_derive(settings.IDENTITY_KEY, purpose), value.encode(), hashlib.sha256).hexdigest()
