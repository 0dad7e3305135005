"""Scope as a matrix: each persona × each enterprise × every path (API detail, API list, API update,
UI list, UI detail, Excel export). Out of scope is 404 and invisible, and a refused write changes nothing."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from .conftest import VISIBLE, login

pytestmark = pytest.mark.django_db

PERSONAS = sorted(VISIBLE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_and_detail(world, api_token, persona):
    headers = api_token(persona)
    listed = Client().get("/api/v1/enterprises?limit=500", **headers).json()
    names = {item["uscc"] for item in listed["items"]}
    expected = {world.enterprises[key].uscc for key in VISIBLE[persona]}
    assert names == expected
    assert listed["count"] == len(expected)
    for key, enterprise in world.enterprises.items():
        response = Client().get(f"/api/v1/enterprises/{enterprise.pk}", **headers)
        assert response.status_code == (200 if key in VISIBLE[persona] else 404), (persona, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_update_out_of_scope_is_404_and_changes_nothing(world, api_token, persona):
    headers = api_token(persona)
    for key, enterprise in world.enterprises.items():
        if key in VISIBLE[persona]:
            continue
        response = Client().patch(
            f"/api/v1/enterprises/{enterprise.pk}",
            json.dumps({"employee_count": 999}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 404, (persona, key)
        enterprise.refresh_from_db()
        assert enterprise.employee_count == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_ui_list_detail_and_export(world, persona):
    client = login(world.users[persona])
    page = client.get("/enterprises/").content.decode()
    for key, enterprise in world.enterprises.items():
        assert (enterprise.uscc in page) == (key in VISIBLE[persona]), (persona, key)
        detail = client.get(f"/enterprises/{enterprise.pk}/")
        assert detail.status_code == (200 if key in VISIBLE[persona] else 404), (persona, key)
    export = client.get("/enterprises/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    codes = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}  # below title, date and header
    assert codes == {world.enterprises[key].uscc for key in VISIBLE[persona]}


@pytest.mark.parametrize(
    "persona", ["county_office_b", "township_office", "grid_worker", "enterprise_manager"]
)
def test_filter_by_foreign_region_reveals_nothing(world, api_token, persona):
    body = Client().get("/api/v1/enterprises?region=360424", **api_token(persona)).json()
    visible = {world.enterprises[key].uscc for key in VISIBLE[persona]} & {world.chem_xiushui.uscc}
    assert {item["uscc"] for item in body["items"]} == visible


def test_ui_update_out_of_scope_is_404(world):
    client = login(world.users["township_office"])
    response = client.post(f"/enterprises/{world.chem_t2.pk}/edit/", {"employee_count": "5"})
    assert response.status_code == 404
    world.chem_t2.refresh_from_db()
    assert world.chem_t2.employee_count == 0


def test_global_search_stays_in_scope(world):
    client = login(world.users["county_office_b"])
    page = client.get("/search/?q=有限公司").content.decode()  # every world enterprise's name contains it
    assert world.chem_xiushui.name in page
    assert world.chem_t1.name not in page and world.chem_t2.name not in page
