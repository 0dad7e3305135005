"""The reporter's identity at rest (docs/adr/0033-tip-off-identity-encryption.md); the cipher and the keyed hash
are core/identity.py's.

A reporter's name and phone are stored only encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from `cryptography`)
under a key derived from `settings.IDENTITY_KEY` (ANQUAN_IDENTITY_KEY, kept outside the database). The phone is
also stored as an HMAC-SHA256 under a second key derived from the same secret: the per-phone rate limit counts
the tip-offs of one number by that hash, without decrypting anything. A database dump therefore holds neither
name nor phone in readable form, and without the key the hash cannot be tested against the 10⁹ mobile numbers.
Retired keys (ANQUAN_IDENTITY_OLD_KEYS) still decrypt; the hash is always the current key's."""

from __future__ import annotations

import re

from anquan.core.identity import decrypt, encrypt, keyed_hash

__all__ = ["MOBILE", "address_hash", "decrypt", "encrypt", "mask_phone", "normalise_phone", "phone_hash"]

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value: str) -> str:
    """Digits only, without a +86 / 0086 prefix: "+86 138-0000-0000" → "13800000000"."""
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def phone_hash(phone: str) -> str:
    """The keyed hash of a normalised phone number the rate limit counts by ('' for no phone)."""
    return keyed_hash(phone, b"anquan-identity:phone-hash")


def address_hash(address: str | None) -> str:
    """The keyed hash of a client address (the per-address limit; the address itself is not kept)."""
    return keyed_hash(address or "", b"anquan-identity:address-hash")


def mask_phone(phone: str) -> str:
    """138****0000, for where a partial number helps (never stored)."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
