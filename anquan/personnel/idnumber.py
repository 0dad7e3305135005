"""Chinese resident ID numbers (GB 11643-1999《公民身份号码》): the check digit, the masked display, and the number at
rest — encrypted with a keyed hash for uniqueness and lookup (anquan/core/identity.py, ADR 0033)."""

from __future__ import annotations

import datetime as dt

from anquan.core.identity import decrypt, encrypt, keyed_hash

# GB 11643-1999 §8.2 (ISO 7064:1983 MOD 11-2): weights of the 17 body digits, and the check character of the sum mod 11
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
HASH_PURPOSE = b"anquan-identity:id-number-hash"

__all__ = ["check_digit", "decrypt", "encrypt", "id_hash", "mask", "normalise", "problem"]


def normalise(value: str) -> str:
    """Without blanks, a lower-case x as X."""
    return "".join((value or "").split()).upper()


def check_digit(body: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def problem(number: str) -> str | None:
    """Why `number` (normalised) is not a valid 18-digit ID number, in Chinese; None when it is."""
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号码应为18位（前17位为数字，末位为数字或X）"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if check_digit(number[:17]) != number[17]:
        return "身份证号码校验位错误（GB 11643-1999）"
    return None


def mask(number: str) -> str:
    """3604**********1234: the first four and the last four characters."""
    return number[:4] + "*" * 10 + number[-4:] if len(number) == 18 else "*" * 18


def id_hash(number: str) -> str:
    return keyed_hash(number, HASH_PURPOSE)
