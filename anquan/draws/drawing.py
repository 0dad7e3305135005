"""The draw itself, as a pure function of what a draw stores: the pools, the conflicting pairs, N, the
inspectors per enterprise and the seed. Anyone holding those can recompute the result (services.recompute).

Determinism: both pools are sorted by id, and every choice comes from one `random.Random(seed)`; a `str` seed is
hashed with SHA-512 by `random.seed` (version 2, the default since Python 3.2), so the result depends on neither
PYTHONHASHSEED nor the machine. First N enterprises are sampled from the enterprise pool; then, in the drawn order,
for each enterprise its inspectors are sampled from the inspectors that have no conflict with it (own township,
declared link, a visit within the repeat period)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Result = list[tuple[int, list[int]]]  # (enterprise id, inspector ids) in draw order


@dataclass
class TooFewEnterprises(Exception):
    wanted: int
    available: int


@dataclass
class TooFewInspectors(Exception):
    """Not enough inspectors without a conflict remain for `enterprise` (an id)."""

    enterprise: int
    wanted: int
    eligible: int
    excluded: Counter[str] = field(default_factory=Counter)  # conflict reason → inspectors left out


def compute(
    enterprise_pool: Iterable[int],
    inspector_pool: Iterable[int],
    conflicts: Iterable[tuple[int, int, str] | list[int | str]],
    count: int,
    per_enterprise: int,
    seed: str,
) -> Result:
    enterprises = sorted(set(enterprise_pool))
    inspectors = sorted(set(inspector_pool))
    blocked: dict[int, dict[int, str]] = {}
    for inspector, enterprise, why in conflicts:
        blocked.setdefault(int(enterprise), {}).setdefault(int(inspector), str(why))
    if count > len(enterprises):
        raise TooFewEnterprises(count, len(enterprises))
    rng = random.Random(seed)
    result: Result = []
    for enterprise in rng.sample(enterprises, count):
        excluded = blocked.get(enterprise, {})
        eligible = [i for i in inspectors if i not in excluded]
        if len(eligible) < per_enterprise:
            raise TooFewInspectors(enterprise, per_enterprise, len(eligible), Counter(excluded.values()))
        result.append((enterprise, sorted(rng.sample(eligible, per_enterprise))))
    return result


def as_stored(result: Result) -> list[list[int | list[int]]]:
    """The result as the draw stores it (JSON): [[enterprise, [inspectors]], …]."""
    return [[enterprise, list(inspectors)] for enterprise, inspectors in result]


def from_stored(stored: Iterable[list[Any]]) -> Result:
    return [(int(e), [int(i) for i in inspectors]) for e, inspectors in stored]
