"""The draw as a pure function: the same pools, conflicts and seed give the same result; the conflicts are never
drawn, whatever the seed."""

from __future__ import annotations

import random

import pytest

from anquan.draws import drawing

ENTERPRISES = list(range(100, 140))
INSPECTORS = list(range(1, 9))
# inspector 1 lives in the township of enterprises 100–119; inspector 2 declared a link to 125
CONFLICTS = [(1, e, "township") for e in range(100, 120)] + [(2, 125, "link")]


def test_same_seed_and_pools_give_the_same_result_in_any_order():
    first = drawing.compute(ENTERPRISES, INSPECTORS, CONFLICTS, 10, 2, "seed-2026")
    shuffled = ENTERPRISES[::-1], INSPECTORS[::-1], CONFLICTS[::-1]
    assert drawing.compute(*shuffled, 10, 2, "seed-2026") == first
    assert len({e for e, _ in first}) == 10 and all(len(set(i)) == 2 for _, i in first)


def test_different_seeds_generally_give_different_results():
    results = {str(drawing.compute(ENTERPRISES, INSPECTORS, CONFLICTS, 10, 2, f"s{n}")) for n in range(20)}
    assert len(results) >= 19


def test_conflicting_pairs_are_never_drawn_over_many_seeds():
    blocked = {(i, e) for i, e, _ in CONFLICTS}
    rng = random.Random(7)
    for n in range(300):
        count = rng.randint(1, len(ENTERPRISES))
        result = drawing.compute(ENTERPRISES, INSPECTORS, CONFLICTS, count, rng.randint(2, 4), f"p{n}")
        assert not any((i, e) in blocked for e, inspectors in result for i in inspectors), n


def test_too_few_inspectors_names_the_enterprise_and_why():
    conflicts = [(i, 101, "link") for i in INSPECTORS[:7]]
    with pytest.raises(drawing.TooFewInspectors) as exc:
        drawing.compute([101], INSPECTORS, conflicts, 1, 2, "x")
    assert exc.value.enterprise == 101 and exc.value.eligible == 1 and exc.value.excluded["link"] == 7


def test_stored_form_round_trips():
    result = drawing.compute(ENTERPRISES, INSPECTORS, CONFLICTS, 5, 3, "r")
    assert drawing.from_stored(drawing.as_stored(result)) == result
