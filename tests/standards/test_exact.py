"""Exact-number helpers: decimal places without context rounding, and display by truncation."""

from decimal import Decimal
from fractions import Fraction

import pytest

from anquan.standards.exact import cut4, decimal_places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("0", 0),
        ("10", 0),
        ("1E+5", 0),
        ("0.1", 1),
        ("0.10000", 1),
        ("2.50", 1),
        ("0.000001", 6),
        ("1E-999999999", 999999999),
    ],
)
def test_decimal_places(text, places):
    assert decimal_places(Decimal(text)) == places


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(2, 3), 0.6666),
        (Fraction(9999995, 100000), 99.9999),
        (Fraction(100), 100.0),
        (Fraction(27, 5), 5.4),
    ]
    + [(Decimal("0.00009"), 0.0), (Fraction(1, 1), 1.0)],
)
def test_cut4_never_shows_more_than_the_exact_value(value, shown):
    assert cut4(value) == shown
