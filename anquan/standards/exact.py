"""Small helpers for exact decimal input and its display (pure: no Django)."""

import math
from decimal import Decimal
from fractions import Fraction


def decimal_places(value: Decimal) -> int:
    """Significant decimal places of a finite Decimal, without the context (0.10000 → 1, 1E-9 → 9).

    Decimal.normalize() would round through the context (1E-999999999 → 0), so this reads the digits.
    """
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), "finite values only"
    end = len(digits)
    while exponent < 0 and end > 1 and digits[end - 1] == 0:
        end -= 1
        exponent += 1
    return max(0, -exponent)


def cut4(value: Fraction | Decimal) -> float:
    """Truncate a non-negative exact value to 4 decimal places, so the shown value never crosses a
    threshold (1, 10, 50, 100 …) the exact one did not."""
    return float(Fraction(math.floor(Fraction(value) * 10_000), 10_000))
