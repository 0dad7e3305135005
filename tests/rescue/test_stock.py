"""Stock rows: below their minimum or past their expiry flagged (and listed for the region); a stock-out beyond
the quantity refused with a field error and nothing changed; every change audited with its reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from anquan.core.errors import ValidationFailed
from anquan.core.models import AuditEntry
from anquan.rescue import stock
from anquan.rescue.models import StockItem, StockMovement

from ..conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def depot(make_depot):
    return make_depot("濂溪区应急物资储备库", 29.68, 116.0)


def test_below_minimum_and_expired_are_flagged(depot, office):
    today = timezone.localdate()
    low = stock.add_item(
        office, depot, {"name": "防毒面具", "unit": "个", "quantity": "8", "minimum_quantity": "20"}
    )
    old = stock.add_item(
        office,
        depot,
        {
            "name": "医用急救包",
            "unit": "个",
            "quantity": "50",
            "expires_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    fine = stock.add_item(
        office, depot, {"name": "沙袋", "unit": "条", "quantity": "500", "minimum_quantity": "100"}
    )
    flagged = StockItem.objects.filter(stock.flagged(today))
    assert set(flagged) == {low, old}
    page = login(office).get("/rescue/stock/flagged/")
    html = page.content.decode()
    assert "防毒面具" in html and "医用急救包" in html and "沙袋" not in html
    detail = login(office).get(f"/rescue/depots/{depot.pk}/").content.decode()
    assert detail.count('data-testid="flag-below"') == 1 and detail.count('data-testid="flag-expired"') == 1
    stock.move(office, low, {"direction": "in", "quantity": "12", "reason": "补充采购"})
    assert not StockItem.objects.get(pk=low.pk).below_minimum
    assert fine.quantity == Decimal(500)


def test_a_stock_out_beyond_the_quantity_is_refused_and_changes_nothing(depot, office):
    item = stock.add_item(office, depot, {"name": "泡沫灭火剂", "unit": "吨", "quantity": "3"})
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        stock.move(office, item, {"direction": "out", "quantity": "3.5", "reason": "调拨"})
    assert [e.field for e in refused.value.errors] == ["quantity"]
    assert StockItem.objects.get(pk=item.pk).quantity == Decimal(3)
    assert AuditEntry.objects.count() == entries and StockMovement.objects.filter(item=item).count() == 1
    page = login(office).post(
        f"/rescue/depots/{depot.pk}/movements/",
        {"item": item.pk, "direction": "out", "quantity": "4", "reason": "调拨"},
    )
    assert page.status_code == 422 and "出库数量超过库存" in page.content.decode()


def test_movements_are_audited_with_reason_and_balance(depot, office, api_token):
    item = stock.add_item(office, depot, {"name": "应急照明灯", "unit": "台", "quantity": "10"})
    reply = Client().post(
        f"/api/v1/supply-depots/{depot.pk}/movements",
        {"item": item.pk, "direction": "out", "quantity": "4", "reason": "某化工厂泄漏处置"},
        content_type="application/json",
        **api_token("county_office"),
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["balance"] == "6.00"
    entry = (
        AuditEntry.objects.filter(model="rescue.stockitem", object_id=str(item.pk)).order_by("-id").first()
    )
    assert entry.before["quantity"] in ("10.00", "10", 10) and "某化工厂泄漏处置" in entry.comment
    too_many = Client().post(
        f"/api/v1/supply-depots/{depot.pk}/movements",
        {"item": item.pk, "direction": "out", "quantity": "7", "reason": "再次调拨"},
        content_type="application/json",
        **api_token("county_office"),
    )
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["field"] == "quantity"
    history = Client().get(f"/api/v1/supply-depots/{depot.pk}/movements", **api_token("county_office")).json()
    assert [(m["direction"], m["balance"]) for m in history["items"]] == [("out", "6.00"), ("in", "10.00")]


def test_the_quantity_is_never_negative_in_the_database(depot, office):
    from django.db import IntegrityError, transaction

    item = stock.add_item(office, depot, {"name": "铁锹", "unit": "把", "quantity": "1"})
    with pytest.raises((IntegrityError, ValidationFailed)), transaction.atomic():
        StockItem.objects.filter(pk=item.pk).update(quantity=Decimal(-1))
