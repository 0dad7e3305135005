"""The dispatching officer's question: which teams and depots lie within N km of this point, nearest first, and
what matching stock each depot holds (`item`: a part of the item's name or its category). Distances: geo.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from anquan.core.scope import own_area, restrict

from .geo import Point, nearest
from .models import RescueTeam, StockItem, SupplyDepot
from .stock import below_minimum, expired


@dataclass
class Found:
    obj: Any
    km: float
    stock: list[StockItem] = field(default_factory=list)


def item_filter(item: str) -> Q:
    return Q(name__icontains=item) | Q(category=item)


def teams_near(user: Any, centre: Point, km: float, rows: QuerySet[RescueTeam] | None = None) -> list[Found]:
    qs = rows if rows is not None else restrict(RescueTeam, user)
    return [
        Found(t, d) for t, d in nearest(qs.select_related("region", "enterprise", "department"), centre, km)
    ]


def depots_near(
    user: Any, centre: Point, km: float, item: str = "", rows: QuerySet[SupplyDepot] | None = None
) -> list[Found]:
    """Depots within `km`; with `item`, only those holding a matching item with stock (their matching rows)."""
    qs = (rows if rows is not None else restrict(SupplyDepot, user)).select_related(
        "region", "enterprise", "department"
    )
    stock = StockItem.objects.order_by("category", "name", "id")
    if item:
        stock = stock.filter(item_filter(item), quantity__gt=0)
        qs = qs.filter(items__in=stock).distinct()
    qs = qs.prefetch_related(Prefetch("items", queryset=stock, to_attr="matching"))
    return [Found(d, km_, list(d.matching)) for d, km_ in nearest(qs, centre, km)]


def flagged_stock(user: Any, on: dt.date, prefix_q: Q | None = None) -> QuerySet[StockItem]:
    """The stock rows in scope below their minimum or past their expiry (the region's list)."""
    qs = (
        restrict(StockItem, user)
        .filter(own_area(user, "depot__region_code"))  # their own area's depots to replenish (ADR 0057)
        .filter(below_minimum() | expired(on))
        .select_related("depot", "depot__region")
    )
    if prefix_q is not None:
        qs = qs.filter(prefix_q)
    return qs.order_by("depot__region_code", "depot__name", "name")
