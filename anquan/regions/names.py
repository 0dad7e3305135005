"""How a place's name is shortened in numbers and titles."""

from __future__ import annotations

SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")


def short_name(name: str) -> str:
    """濂溪区 → 濂溪, 修水县 → 修水, 共青城市 → 共青城; a two-character name keeps its suffix (城区)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
