"""Stock rows of a depot and their movements: an item is added with its opening quantity (a stock-in), every
later change is a stock-in or stock-out with a reason, audited with the balance after it; a stock-out beyond
the quantity held is refused with a field error (the quantity never goes negative: also a CHECK constraint).
Flags: below its minimum quantity, or past its expiry date (both listed for the region, counted in the to-do
centre of the owner)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import in_scope

from .choices import Direction, StockCategory
from .models import StockItem, StockMovement, SupplyDepot

MAX_QUANTITY = Decimal(10) ** 10


def below_minimum() -> Q:
    return Q(quantity__lt=F("minimum_quantity"))


def expired(on: dt.date) -> Q:
    return Q(expires_on__lt=on)


def flagged(on: dt.date) -> Q:
    return below_minimum() | expired(on)


def _item_values(raw: dict[str, Any], errors: list[FieldError], partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, label, length in (("name", "物资名称", 100), ("unit", "计量单位", 10)):
        if not partial or field in raw:
            values[field] = inputs.text(
                raw.get(field), field, label, errors, max_length=length, required=True
            )
    if not partial or "category" in raw:
        category = str(raw.get("category") or "").strip() or StockCategory.OTHER
        if category not in StockCategory.values:
            errors.append(
                FieldError("category", "invalid_choice", "类别取值应为：" + "、".join(StockCategory.values))
            )
        values["category"] = category
    if not partial or "minimum_quantity" in raw:
        minimum = inputs.amount(
            raw.get("minimum_quantity"), "minimum_quantity", "最低储备量", errors, high=MAX_QUANTITY
        )
        values["minimum_quantity"] = minimum or Decimal(0)
    if not partial or "expires_on" in raw:
        values["expires_on"] = inputs.day(raw.get("expires_on"), "expires_on", "有效期至", errors)
    return values


def _may_change(depot: SupplyDepot, actor: Any) -> None:
    if not in_scope(depot, actor, "change"):
        raise NotPermitted("您不能修改这个物资库的库存")


def add_item(actor: Any, depot: SupplyDepot, raw: dict[str, Any]) -> StockItem:
    _may_change(depot, actor)
    errors: list[FieldError] = []
    values = _item_values(raw, errors, partial=False)
    opening = inputs.amount(raw.get("quantity"), "quantity", "数量", errors, high=MAX_QUANTITY) or Decimal(0)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        item = StockItem.objects.create(depot=depot, **values)
        audit.record_create(item, actor=actor)
        if opening:
            _apply(item, Direction.IN, opening, str(raw.get("reason") or "初始入库")[:200], actor)
    return item


def update_item(actor: Any, item: StockItem, raw: dict[str, Any]) -> StockItem:
    """The item's name, category, unit, minimum and expiry (the quantity changes only by movements)."""
    _may_change(item.depot, actor)
    errors: list[FieldError] = []
    values = _item_values(raw, errors, partial=True)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        item = StockItem.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        audit.record_update(item, before, actor=actor)
    return item


def move(actor: Any, item: StockItem, raw: dict[str, Any]) -> StockMovement:
    """A stock-in or stock-out of `quantity` with its `reason`; out beyond what is held: a field error."""
    _may_change(item.depot, actor)
    errors: list[FieldError] = []
    direction = str(raw.get("direction") or "").strip()
    if direction not in Direction.values:
        errors.append(FieldError("direction", "invalid_choice", "应为 in（入库）或 out（出库）"))
    quantity = inputs.amount(raw.get("quantity"), "quantity", "数量", errors, high=MAX_QUANTITY)
    if quantity is not None and quantity <= 0:
        errors.append(FieldError("quantity", "out_of_range", "数量应大于0"))
    if quantity is None and not any(e.field == "quantity" for e in errors):
        errors.append(FieldError("quantity", "required", "数量不能为空"))
    reason = inputs.text(raw.get("reason"), "reason", "原因", errors, max_length=200, required=True)
    if errors:
        raise ValidationFailed(errors)
    assert quantity is not None
    with transaction.atomic():
        item = StockItem.objects.select_for_update().select_related("depot").get(pk=item.pk)
        return _apply(item, direction, quantity, reason, actor)


def _apply(item: StockItem, direction: str, quantity: Decimal, reason: str, actor: Any) -> StockMovement:
    before = audit.snapshot(item)
    if direction == Direction.OUT and quantity > item.quantity:
        raise ValidationFailed(
            [
                FieldError(
                    "quantity",
                    "insufficient",
                    f"出库数量超过库存（现有{item.quantity.normalize():f}{item.unit}）",
                )
            ]
        )
    item.quantity = item.quantity + quantity if direction == Direction.IN else item.quantity - quantity
    item.save(update_fields=["quantity"])
    movement = StockMovement.objects.create(
        item=item,
        direction=direction,
        quantity=quantity,
        balance=item.quantity,
        reason=reason,
        actor_label=getattr(actor, "username", str(actor or "")),
        at=timezone.now(),
    )
    audit.record(
        AuditAction.UPDATE,
        item,
        actor=actor,
        before=before,
        after=audit.snapshot(item),
        comment=f"{Direction(direction).label}：{quantity.normalize():f}{item.unit}，{reason}",
    )
    return movement
