"""LEC and LS scoring against the default band tables, on the pure functions (no database).

Endpoint convention: min inclusive, max exclusive. Every band boundary is tested twice: with the band
lookup directly (319.99 / 320 …) and with the nearest products the value tables can really give.
"""

import itertools
from decimal import Decimal

import pytest

from anquan.core.errors import ValidationFailed
from anquan.standards import assessment
from anquan.standards.assessment import Band, assess, band_for, band_problems, default_table

LEC_TABLE = default_table("LEC")
LS_TABLE = default_table("LS")
D = Decimal


def lec(l, e, c):  # noqa: E741
    return assess("LEC", {"l": D(str(l)), "e": D(str(e)), "c": D(str(c))}, LEC_TABLE)


def ls(l, s):  # noqa: E741
    return assess("LS", {"l": D(str(l)), "s": D(str(s))}, LS_TABLE)


def test_lec_value_tables_are_those_of_the_reference():
    values = {f: [v.value for v in LEC_TABLE.factors[f]] for f in "LEC"}
    assert values == {
        "L": [D(10), D(6), D(3), D(1), D("0.5"), D("0.2"), D("0.1")],
        "E": [D(10), D(6), D(3), D(2), D(1), D("0.5")],
        "C": [D(100), D(40), D(15), D(7), D(3), D(1)],
    }
    assert {f: [v.value for v in LS_TABLE.factors[f]] for f in "LS"} == {"L": list(map(D, range(1, 6)))} | {
        "S": list(map(D, range(1, 6)))
    }


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", "blue"),
        ("69.99", "blue"),
        ("70", "yellow"),
        ("159.99", "yellow"),
        ("160", "orange"),
        ("319.99", "orange"),
        ("320", "red"),
        ("10000", "red"),
    ],
)
def test_lec_band_lookup_at_every_boundary(score, level):
    assert band_for(D(score), LEC_TABLE.bands).level == level


@pytest.mark.parametrize(
    ("l", "e", "c", "score", "level"),
    [
        (10, 10, 100, 10000, "red"),  # the largest D
        (3, 3, 40, 360, "red"),  # smallest real D ≥ 320 (320 itself is not a product of the tables)
        (10, 10, 3, 300, "orange"),  # largest real D < 320
        (10, 6, 3, 180, "orange"),  # smallest real D ≥ 160 (160 is not a product either)
        (10, 1, 15, 150, "yellow"),  # largest real D < 160
        (10, 1, 7, 70, "yellow"),  # D = 70 exactly: the lower bound belongs to yellow
        (3, 3, 7, 63, "blue"),  # largest real D < 70
        ("0.1", "0.5", 1, "0.05", "blue"),  # the smallest D
    ],
)
def test_lec_nearest_real_products_at_every_boundary(l, e, c, score, level):  # noqa: E741
    result = lec(l, e, c)
    assert result.score == D(score)
    assert result.level == level


def test_every_lec_combination_follows_the_four_colour_rule():
    """D≥320 red; 160≤D<320 orange; 70≤D<160 yellow; D<70 blue (lec.json four_color_common)."""
    for l, e, c in itertools.product(*(LEC_TABLE.factors[f] for f in "LEC")):  # noqa: E741
        d = l.value * e.value * c.value
        expected = "red" if d >= 320 else "orange" if d >= 160 else "yellow" if d >= 70 else "blue"
        assert lec(l.value, e.value, c.value).level == expected, d


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("1", "blue"),
        ("4.99", "blue"),
        ("5", "yellow"),
        ("10.99", "yellow"),
        ("11", "orange"),
        ("16.99", "orange"),
    ]
    + [("17", "red"), ("25", "red")],
)
def test_ls_band_lookup_at_every_boundary(score, level):
    assert band_for(D(score), LS_TABLE.bands).level == level


@pytest.mark.parametrize(
    ("l", "s", "score", "level"),
    [
        (5, 5, 25, "red"),
        (4, 5, 20, "red"),  # smallest real R ≥ 17
        (4, 4, 16, "orange"),  # largest real R < 17
        (3, 4, 12, "orange"),  # smallest real R ≥ 11
        (2, 5, 10, "yellow"),  # largest real R < 11
        (1, 5, 5, "yellow"),  # R = 5 exactly
        (2, 2, 4, "blue"),  # largest real R < 5
        (1, 1, 1, "blue"),
    ],
)
def test_ls_nearest_real_products_at_every_boundary(l, s, score, level):  # noqa: E741
    result = ls(l, s)
    assert result.score == score
    assert result.level == level


def test_ls_default_is_marked_unverified_and_lec_default_verified():
    assert not LS_TABLE.verified
    assert LEC_TABLE.verified


def test_values_outside_the_tables_are_field_errors():
    with pytest.raises(ValidationFailed) as excinfo:
        lec(7, 10, 100)
    assert [(e.field, e.code) for e in excinfo.value.errors] == [("l", "not_in_table")]
    assert "10、6、3、1、0.5、0.2、0.1" in excinfo.value.errors[0].message


def test_swapped_e_and_c_pick_lists_are_caught():
    """A public implementation pasted the E and C lists the wrong way round (reference §2)."""
    with pytest.raises(ValidationFailed) as excinfo:
        lec(1, 100, 6)
    assert [(e.field, e.code) for e in excinfo.value.errors] == [("e", "not_in_table"), ("c", "not_in_table")]


@pytest.mark.parametrize(
    "values", [{"l": D(0), "s": D(3)}, {"l": D(6), "s": D(3)}, {"l": D("2.5"), "s": D(3)}]
)
def test_ls_values_outside_one_to_five(values):
    with pytest.raises(ValidationFailed) as excinfo:
        assess("LS", values, LS_TABLE)
    assert [(e.field, e.code) for e in excinfo.value.errors] == [("l", "not_in_table")]


def test_missing_factor_and_wrong_method():
    with pytest.raises(ValidationFailed) as excinfo:
        assess("LEC", {"l": D(10), "e": None, "c": D(1)}, LEC_TABLE)
    assert [(e.field, e.code) for e in excinfo.value.errors] == [("e", "required")]
    with pytest.raises(ValidationFailed):
        assess("LS", {"l": D(1), "s": D(1)}, LEC_TABLE)
    with pytest.raises(ValidationFailed):
        assess("XYZ", {}, LEC_TABLE)


def test_band_problems():
    good = list(LEC_TABLE.bands)
    assert band_problems(good) == []
    assert band_problems([]) != []
    gap = [Band(D(0), D(70), "blue"), Band(D(80), None, "red")]
    assert any("不连续" in p for p in band_problems(gap))
    assert any("下限必须为 0" in p for p in band_problems([Band(D(1), None, "red")]))
    assert any("不应有上限" in p for p in band_problems([Band(D(0), D(10), "red")]))
    assert any("无效" in p for p in band_problems([Band(D(0), None, "purple")]))
    assert band_problems([Band(D(0), D("1E+99"), "blue"), Band(D("1E+99"), None, "red")]) != []
    assert band_problems([Band(D(0), D("0.00001"), "blue"), Band(D("0.00001"), None, "red")]) != []
    assert assessment.factor_problems("LS", {"L": (), "S": ()}) != []
    scale = tuple(assessment.ScaleValue(D(n)) for n in range(1, 6))
    assert assessment.factor_problems("LS", {"L": scale, "S": scale}) == []
    assert assessment.factor_problems("LS", {"L": scale, "S": (assessment.ScaleValue(D(0)),)}) != []
    assert assessment.factor_problems("LS", {"L": scale, "S": scale, "E": scale}) != []
