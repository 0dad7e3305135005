"""The new-version form of a checklist as rows (works without script, on a phone too): each row an item with its
order number, text, basis, judgement-standard clause (chosen by its citation) and a "remove" box; blank rows at
the end add items. `read` turns the posted rows into the items the service checks, `row_errors` puts the
service's `items.N.field` errors back on the rows they came from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from anquan.core.errors import FieldError

from . import checklists
from .models import ChecklistTemplate

BLANK_ROWS = 3
MAX_ROWS = checklists.MAX_ITEMS + 50  # what a form may post at most (the service refuses more than MAX_ITEMS)


@dataclass
class Row:
    index: int
    order: str = ""
    text: str = ""
    basis: str = ""
    judgement: str = ""  # the citation "安监总管三〔2017〕121号 第5项"
    source: str = ""
    new: bool = False
    removed: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not (self.text.strip() or self.basis.strip() or self.judgement.strip())


def initial(template: ChecklistTemplate) -> list[Row]:
    rows = [
        Row(
            n,
            order=str(n + 1),
            text=item.text,
            basis=item.basis,
            judgement=checklists.citation_key(item.judgement_item) if item.judgement_item else "",
            source=item.source,
        )
        for n, item in enumerate(checklists.items_of(template))
    ]
    return with_blanks(rows)


def with_blanks(rows: list[Row], count: int = BLANK_ROWS) -> list[Row]:
    start = len(rows)
    count = max(0, min(count, MAX_ROWS - start))
    return rows + [Row(start + k, order=str(start + k + 1), new=True) for k in range(count)]


def posted(data: QueryDict) -> list[Row]:
    try:
        count = min(max(int(data.get("rows", "0")), 0), MAX_ROWS)
    except ValueError:
        count = 0
    return [
        Row(
            n,
            order=data.get(f"order-{n}", ""),
            text=data.get(f"text-{n}", ""),
            basis=data.get(f"basis-{n}", ""),
            judgement=data.get(f"judgement-{n}", ""),
            source=data.get(f"source-{n}", ""),
            new=data.get(f"new-{n}") == "1",
            removed=data.get(f"remove-{n}") == "1",
        )
        for n in range(count)
    ]


def _order(row: Row, errors: list[FieldError]) -> float:
    """The row's order number (decimals allowed: 2.5 goes between 2 and 3); its place when left empty."""
    if not row.order.strip():
        return float(row.index + 1)
    try:
        order = float(row.order)
    except ValueError:
        order = math.nan
    if not math.isfinite(order) or abs(order) > 10**6:
        errors.append(FieldError(f"rows.{row.index}.order", "invalid", "序号应为数字"))
        return float(row.index + 1)
    return order


def too_many(data: QueryDict) -> bool:
    """More rows posted than the form ever shows (they would be cut off): refused rather than half-read."""
    value = data.get("rows", "0")
    return not value.isdigit() or int(value) > MAX_ROWS


def read(rows: list[Row]) -> tuple[list[dict[str, Any]], list[int], list[FieldError]]:
    """(items in their new order, the row each item came from, errors found on the rows themselves)."""
    errors: list[FieldError] = []
    kept: list[tuple[float, int, dict[str, Any]]] = []
    for row in rows:
        if row.removed or (row.new and row.blank):
            continue
        order = _order(row, errors)
        judgement: int | None = None
        if row.judgement.strip():
            judgement = checklists.resolve_citation(row.judgement)
            if judgement is None:
                errors.append(
                    FieldError(
                        f"rows.{row.index}.judgement", "unknown", "未找到该判定标准条目，请从列表中选择"
                    )
                )
        item = {"text": row.text, "basis": row.basis, "judgement_item": judgement, "source": row.source}
        if judgement is None and row.source == checklists.JUDGEMENT:
            item["source"] = ""  # no longer a judgement-standard item: the service calls it a common item
        kept.append((order, row.index, item))
    kept.sort(key=lambda k: (k[0], k[1]))
    return [k[2] for k in kept], [k[1] for k in kept], errors


def row_errors(rows: list[Row], origin: list[int], errors: list[FieldError]) -> dict[str, str]:
    """Put each error on its row (rows.N.field from the form, items.N.field from the service); what is about
    the whole list is returned ({field: message})."""
    by_index = {row.index: row for row in rows}
    general: dict[str, str] = {}
    for error in errors:
        parts = error.field.split(".")
        if len(parts) == 3 and parts[0] in ("rows", "items") and parts[1].isdigit():
            n = int(parts[1])
            index = n if parts[0] == "rows" else (origin[n] if n < len(origin) else -1)
            name = "judgement" if parts[2] == "judgement_item" else parts[2]
            if index in by_index:
                by_index[index].errors.setdefault(name, error.message)
                continue
        general.setdefault(error.field, error.message)
    return general
