"""/api/v1/supply-depots (typed; token writes): list (with `?near=lat,lng&within_km=&item=`: the depots within the
distance holding a matching item in stock, nearest first, with `distance_km` and the matching rows), create,
detail, update; its stock rows (add, update) and stock movements (list, add: in/out with a reason, never below
zero). Flagged rows (below minimum or expired) of the scope: /supply-depots/flagged-stock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.inputs import subtree
from anquan.standards.schemas import Id, RegionCode

from . import services, stock
from .api import RescueLocatedIn, RescueLocatedOut, RescueNearParams, RescueOwnerIn
from .choices import Direction, StockCategory
from .geo import parse_near
from .models import StockItem, StockMovement, SupplyDepot
from .presenting import depot_out, item_out, movement_out
from .search import depots_near, flagged_stock, item_filter

router = Router(tags=["应急救援力量"])
MAX_QUANTITY = Decimal(10) ** 10


class SupplyDepotFilters(RescueNearParams):
    region: RegionCode | None = Field(None, description="its subtree")
    item: str | None = Field(
        None, max_length=50, description="物资名称的一部分或类别：只列出有此物资库存的物资库"
    )


class SupplyDepotIn(RescueOwnerIn, RescueLocatedIn):
    pass


class SupplyDepotPatchIn(Schema):
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    latitude: Decimal | None = Field(None, ge=3, le=54)
    longitude: Decimal | None = Field(None, ge=73, le=136)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)


class StockItemOut(Schema):
    id: int
    name: str
    category: str
    category_label: str
    quantity: Decimal
    unit: str
    minimum_quantity: Decimal
    expires_on: dt.date | None
    below_minimum: bool = Field(description="库存低于最低储备量")
    expired: bool = Field(description="已过有效期")


class SupplyDepotOut(RescueLocatedOut):
    items: list[StockItemOut] = Field(description="库存（给出 item 时只列出匹配的）")


class StockItemIn(Schema):
    name: str = Field(max_length=100)
    category: StockCategory | None = None
    unit: str = Field(max_length=10)
    quantity: Decimal | None = Field(None, ge=0, lt=MAX_QUANTITY, description="初始库存（记为一次入库）")
    minimum_quantity: Decimal | None = Field(None, ge=0, lt=MAX_QUANTITY)
    expires_on: dt.date | None = None


class StockItemPatchIn(Schema):
    name: str | None = Field(None, max_length=100)
    category: StockCategory | None = None
    unit: str | None = Field(None, max_length=10)
    minimum_quantity: Decimal | None = Field(None, ge=0, lt=MAX_QUANTITY)
    expires_on: dt.date | None = None


class StockMovementIn(Schema):
    item: Id
    direction: Direction = Field(description="in 入库 | out 出库")
    quantity: Decimal = Field(gt=0, lt=MAX_QUANTITY)
    reason: str = Field(max_length=200)


class StockMovementOut(Schema):
    id: int
    item: int
    item_name: str
    direction: str
    direction_label: str
    quantity: Decimal
    balance: Decimal = Field(description="变动后的库存")
    reason: str
    actor: str
    at: dt.datetime


class FlaggedStockOut(StockItemOut):
    depot: int
    depot_name: str
    region: str


def _depots(request: AuthedRequest) -> QuerySet[SupplyDepot]:
    return restrict(SupplyDepot, request.user).select_related("region", "enterprise", "department")


def _depot(request: AuthedRequest, depot_id: int) -> SupplyDepot:
    return get_in_scope(_depots(request).prefetch_related("items"), request.user, pk=depot_id)


@router.get("/supply-depots", response=responses(Page[SupplyDepotOut]))
def list_supply_depots(
    request: AuthedRequest, filters: Query[SupplyDepotFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """The depots in scope with their stock; with `near`, those within `within_km` (default 20) nearest first, and
    with `item` only those holding it in stock (their matching rows)."""
    where = parse_near(filters.near, filters.within_km)
    today = timezone.localdate()
    item = (filters.item or "").strip()
    qs = _depots(request)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    if where is None:
        if item:
            qs = qs.filter(items__in=StockItem.objects.filter(item_filter(item), quantity__gt=0)).distinct()
        return page(qs.prefetch_related("items"), paging, lambda d: depot_out(d, today))
    found = depots_near(request.user, where[0], where[1], item, qs)
    return page(found, paging, lambda f: depot_out(f.obj, today, f.km, f.stock))


@router.post("/supply-depots", response=responses({201: SupplyDepotOut}, 400, 403, 415))
def create_supply_depot(request: AuthedRequest, payload: SupplyDepotIn) -> Status[dict[str, Any]]:
    depot = services.create_depot(request.user, payload.dict(exclude_none=True))
    return Status(201, depot_out(_depot(request, depot.pk), timezone.localdate()))


@router.get("/supply-depots/flagged-stock", response=responses(Page[FlaggedStockOut]))
def flagged_supply_stock(request: AuthedRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The stock rows in scope below their minimum quantity or past their expiry date."""
    today = timezone.localdate()
    return page(
        flagged_stock(request.user, today),
        paging,
        lambda i: (
            item_out(i, today)
            | {"depot": i.depot_id, "depot_name": i.depot.name, "region": i.depot.region_code}
        ),
    )


@router.get("/supply-depots/{depot_id}", response=responses(SupplyDepotOut, 404))
def get_supply_depot(request: AuthedRequest, depot_id: Id) -> dict[str, Any]:
    return depot_out(_depot(request, depot_id), timezone.localdate())


@router.patch("/supply-depots/{depot_id}", response=responses(SupplyDepotOut, 400, 403, 404, 415))
def update_supply_depot(request: AuthedRequest, depot_id: Id, payload: SupplyDepotPatchIn) -> dict[str, Any]:
    depot = _depot(request, depot_id)
    services.update_depot(request.user, depot, payload.dict(exclude_unset=True))
    return depot_out(_depot(request, depot_id), timezone.localdate())


@router.post("/supply-depots/{depot_id}/items", response=responses({201: StockItemOut}, 400, 403, 404, 415))
def add_stock_item(request: AuthedRequest, depot_id: Id, payload: StockItemIn) -> Status[dict[str, Any]]:
    """A stock row; its opening quantity is recorded as a stock-in."""
    depot = _depot(request, depot_id)
    item = stock.add_item(request.user, depot, payload.dict(exclude_none=True))
    return Status(201, item_out(item, timezone.localdate()))


@router.patch(
    "/supply-depots/{depot_id}/items/{item_id}", response=responses(StockItemOut, 400, 403, 404, 415)
)
def update_stock_item(
    request: AuthedRequest, depot_id: Id, item_id: Id, payload: StockItemPatchIn
) -> dict[str, Any]:
    """Name, category, unit, minimum or expiry (the quantity changes only by movements)."""
    depot = _depot(request, depot_id)
    item = get_in_scope(StockItem.objects.filter(depot=depot), request.user, pk=item_id)
    item = stock.update_item(request.user, item, payload.dict(exclude_unset=True))
    return item_out(item, timezone.localdate())


@router.get("/supply-depots/{depot_id}/movements", response=responses(Page[StockMovementOut], 404))
def list_stock_movements(request: AuthedRequest, depot_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    depot = _depot(request, depot_id)
    qs = StockMovement.objects.filter(item__depot=depot).select_related("item")
    return page(qs, paging, movement_out)


@router.post(
    "/supply-depots/{depot_id}/movements", response=responses({201: StockMovementOut}, 400, 403, 404, 415)
)
def add_stock_movement(
    request: AuthedRequest, depot_id: Id, payload: StockMovementIn
) -> Status[dict[str, Any]]:
    """A stock-in or stock-out; out beyond the quantity held: 422 on `quantity`."""
    depot = _depot(request, depot_id)
    item = get_in_scope(StockItem.objects.filter(depot=depot), request.user, pk=payload.item)
    movement = stock.move(request.user, item, payload.dict())
    return Status(201, movement_out(movement))
