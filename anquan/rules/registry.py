"""The kinds of versioned rule data (docs/adr/0022-versioned-rule-data.md).

An app that applies a figure which is unverified, varies by province or changes on a date declares it here —
a `RuleKind` with a typed schema (pydantic; the field titles are the labels on the edit page) and the versions
the reference material gives (`Default`), seeded after migrate — instead of writing the figure in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

Verified = Literal["verified", "partial", "not_found"]


@dataclass(frozen=True)
class Default:
    """One version as the reference material gives it: what, from when, on whose authority."""

    effective_from: date
    values: dict[str, Any]
    source: str
    verified: Verified
    note: str = ""
    region_code: str = ""  # "" = national; a province's GB/T 2260 code ("360000") for its own figures


@dataclass(frozen=True)
class RuleKind:
    key: str  # "<domain>.<name>", e.g. "enforcement.procedure"
    label: str  # Chinese, shown on /rules/
    schema: type[BaseModel]
    defaults: tuple[Default, ...] | list[Default] = field(default_factory=tuple)
    description: str = ""  # Chinese: what the figures are used for
    # how stored codes inside the figures read on the page (e.g. a list of measure kinds: {"close": "关闭取缔"})
    value_labels: Mapping[str, Any] = field(default_factory=dict)


_KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    """Called from an app's AppConfig.ready(); every default must satisfy the schema (checked here, at start)."""
    existing = _KINDS.get(kind.key)
    if existing is not None and existing is not kind:
        if existing.schema is not kind.schema or existing.defaults != kind.defaults:
            raise ValueError(f"rule kind {kind.key!r} registered twice")
    for default in kind.defaults:
        kind.schema.model_validate(default.values)
    _KINDS[kind.key] = kind
    return kind


def kind(key: str) -> RuleKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"no rule kind {key!r}") from None


def kinds() -> list[RuleKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)
