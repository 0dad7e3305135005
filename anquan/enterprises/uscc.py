"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the 31-character set below (no I, O, Z, S, V). Positions 9–17 are the
organisation code of GB 11714 (its own check digit at position 17); position 18 is the check
character of clause 4.3 / Appendix: C18 = 31 − (Σ Ci·Wi mod 31), with 31 written as 0.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997 organisation code: 8 body characters (digits/capitals) + check character
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return CHARSET[0 if value == 31 else value]


def org_code_check(body8: str) -> str:
    total = sum(_ORG_CHARS.index(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate(code: str) -> str | None:
    """None when `code` is a valid USCC, else the reason in Chinese."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [ch for ch in code if ch not in CHARSET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用I、O、Z、S、V）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”"
    return None


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def make(registration: str, region_code6: str, org_body8: str) -> str:
    """Build a valid code from its parts (used by demo data and tests)."""
    org = org_body8 + org_code_check(org_body8)
    first17 = registration + region_code6 + org
    return first17 + check_character(first17)
