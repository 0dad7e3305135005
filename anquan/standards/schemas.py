"""Field types shared by the APIs of the risk-family apps (standards, riskpoints, majorhazards, checks,
riskreports, riskmap): the limits every input field shares with the domain functions and pages that
check it. Text limits come from the model (`max_len`), so the OpenAPI states exactly what the database
stores. Every schema name is unique in the whole API (hence the prefixes)."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import models
from ninja import Field

from . import assessment, gb18218

# --- limits ----------------------------------------------------------------------------------------

ID_MAX = 2**63 - 1  # a database id (bigint); larger answers 422 instead of an overflow
USCC_PATTERN = r"^[0-9A-Za-z]{18}$"  # GB 32100-2015: 18 characters
REGION_PATTERN = r"^\d{6}(\d{3}(\d{3})?)?$"  # GB/T 2260 county code (+ township, + village)
PROVINCE_PATTERN = r"^(\d{2}0000)?$"  # a province code, or "" for the national default
TEXT_MAX = 2000  # a free-text comment, note or reason with no column limit of its own
SUBSTANCES_MAX = gb18218.MAX_SUBSTANCES  # substances of one unit (4.1.1: one unit at a time)
EXPOSED_PERSONS_MAX = gb18218.MAX_EXPOSED_PERSONS  # 表5: residents within 500 m
FACTOR_MAX = int(assessment.MAX_FACTOR)  # LEC / LS factor values (models.RiskFactorValue)
SCORE_MAX = int(assessment.MAX_BOUND)  # band limits (models.RiskBand)
QUANTITY_MAX_T = int(gb18218.MAX_QUANTITY_T)  # tonnes


def page_id(value: str) -> int | None:
    """An id from a page's query string, or None when it is not one (a page filter ignores it)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= ID_MAX else None


def max_len(model: type[models.Model], field: str) -> int:
    """The column's max_length: the one number API, form and database agree on."""
    limit = getattr(model._meta.get_field(field), "max_length", None)
    assert isinstance(limit, int), f"{model.__name__}.{field} has no max_length"
    return limit


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Uscc = Annotated[str, Field(min_length=18, max_length=18, pattern=USCC_PATTERN)]
RegionCode = Annotated[str, Field(max_length=12, pattern=REGION_PATTERN)]


def text(
    model: type[models.Model], field: str, description: str | None = None, default: Any = None, **extra: Any
) -> Any:
    """A text field limited to the model column's max_length."""
    return Field(default, max_length=max_len(model, field), description=description, **extra)
