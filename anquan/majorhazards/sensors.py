"""The monitoring an installation must have (required_sensors), derived on every save from its stored
GB 18218 computation by the rules of data/required_sensors.json (Decree 40 art. 13, unverified data).
The monitoring module reads the `kind`s; the page shows each with its basis."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "required_sensors.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def label(kind: str) -> str:
    return str(_data()["kinds"].get(kind, kind))


def source() -> dict[str, Any]:
    data = _data()
    return {"source": data["source"], "verified": data["verified"]}


def required_for(unit_type: str, computation: dict[str, Any], is_major: bool) -> list[dict[str, Any]]:
    """[{"kind", "label", "basis"}] in the order of the rules; none unless the unit is a major hazard
    installation. A rule applies when its unit type matches (if it names one) and, if it names
    categories or β sources, at least one substance line has one of them."""
    if not is_major:
        return []
    lines = computation.get("lines") or []
    categories = {c for line in lines for c in (line.get("category") or [])}
    beta_sources = {line.get("beta_source") for line in lines}
    found: dict[str, dict[str, Any]] = {}
    for rule in _data()["rules"]:
        if rule.get("unit_type") not in (None, unit_type):
            continue
        wanted_categories, wanted_sources = set(rule.get("categories", [])), set(rule.get("beta_sources", []))
        if (wanted_categories or wanted_sources) and not (
            wanted_categories & categories or wanted_sources & beta_sources
        ):
            continue
        for kind in rule["sensors"]:
            found.setdefault(kind, {"kind": kind, "label": label(kind), "basis": rule["basis"]})
    return list(found.values())
