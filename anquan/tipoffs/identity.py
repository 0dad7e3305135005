"""The reporter's identity at rest (docs/adr/0033-tip-off-identity-encryption.md).

A reporter's name and phone are stored only encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from `cryptography`)
under a key derived from `settings.IDENTITY_KEY` (ANQUAN_IDENTITY_KEY, kept outside the database). The phone is
also stored as an HMAC-SHA256 under a second key derived from the same secret: the per-phone rate limit counts
the tip-offs of one number by that hash, without decrypting anything. A database dump therefore holds neither
name nor phone in readable form, and without the key the hash cannot be tested against the 10⁹ mobile numbers.
Retired keys (ANQUAN_IDENTITY_OLD_KEYS) still decrypt; the hash is always the current key's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

MOBILE = re.compile(r"^1[3-9]\d{9}$")


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


def normalise_phone(value: str) -> str:
    """Digits only, without a +86 / 0086 prefix: "+86 138-0000-0000" → "13800000000"."""
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def phone_hash(phone: str) -> str:
    """The keyed hash of a normalised phone number the rate limit counts by ('' for no phone)."""
    if not phone:
        return ""
    return hmac.new(
        _derive(settings.IDENTITY_KEY, b"anquan-identity:phone-hash"), phone.encode(), hashlib.sha256
    ).hexdigest()


def address_hash(address: str | None) -> str:
    """The keyed hash of a client address (the per-address limit; the address itself is not kept)."""
    if not address:
        return ""
    return hmac.new(
        _derive(settings.IDENTITY_KEY, b"anquan-identity:address-hash"), address.encode(), hashlib.sha256
    ).hexdigest()


def mask_phone(phone: str) -> str:
    """138****0000, for where a partial number helps (never stored)."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
