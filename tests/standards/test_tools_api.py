"""The calculation tools over HTTP: /api/v1/tools/risk-assessment, /major-hazard-identification and
/risk-band-tables (authenticated by bearer token, errors as {"detail": [{"field","code","message"}]})."""

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.standards.models import RiskBandTable

pytestmark = pytest.mark.django_db

TOOLS = "/api/v1/tools"


@pytest.fixture
def call(api_token):
    headers = api_token("county_office")  # 濂溪区: province 江西省, no provincial table → national defaults

    def post(path, body, **extra):
        return Client().post(f"{TOOLS}/{path}", body, content_type="application/json", **headers, **extra)

    return post


def fields(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {d["field"]: d["code"] for d in response.json()["detail"]}


# --- risk assessment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "score", "level"),
    [
        ({"l": 3, "e": 3, "c": 40}, 360, "red"),
        ({"l": 10, "e": 10, "c": 3}, 300, "orange"),
        ({"l": 10, "e": 6, "c": 3}, 180, "orange"),
        ({"l": 10, "e": 1, "c": 15}, 150, "yellow"),
        ({"l": 10, "e": 1, "c": 7}, 70, "yellow"),
        ({"l": 3, "e": 3, "c": 7}, 63, "blue"),
        ({"l": 0.1, "e": 0.5, "c": 1}, 0.05, "blue"),
    ],
)
def test_lec(call, body, score, level):
    response = call("risk-assessment", {"method": "LEC", **body})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["score"], data["level"]) == (score, level)
    assert data["band_table"]["code"] == "lec-four-colour-common"


@pytest.mark.parametrize(
    ("l", "s", "score", "level"),
    [(4, 5, 20, "red"), (4, 4, 16, "orange"), (3, 4, 12, "orange"), (2, 5, 10, "yellow"), (1, 5, 5, "yellow")]
    + [(2, 2, 4, "blue")],
)
def test_ls(call, l, s, score, level):  # noqa: E741
    data = call("risk-assessment", {"method": "LS", "l": l, "s": s}).json()
    assert (data["score"], data["level"]) == (score, level)
    assert data["level_label"] in {"重大风险", "较大风险", "一般风险", "低风险"}
    assert data["band_table"]["verified"] is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"method": "LEC", "l": 7, "e": 10, "c": 100}, {"l": "not_in_table"}),
        ({"method": "LEC", "l": 1, "e": 100, "c": 6}, {"e": "not_in_table", "c": "not_in_table"}),
        ({"method": "LEC", "l": 1, "e": 1}, {"c": "required"}),
        ({"method": "LS", "l": 0, "s": 3}, {"l": "not_in_table"}),
        ({"method": "LS", "l": 3, "s": 6}, {"s": "not_in_table"}),
        ({"method": "LS", "l": 2.5, "s": 1}, {"l": "not_in_table"}),
        ({"method": "LS", "l": 2, "s": 2, "c": 1}, {"c": "not_applicable"}),
        ({"method": "LEC", "l": 1, "e": 1, "c": 1, "s": 1}, {"s": "not_applicable"}),
        ({"method": "ABC", "l": 1}, {"method": "invalid_choice"}),
        ({"method": "LS", "l": 1, "s": 1, "region": "36"}, {"region": "string_pattern_mismatch"}),
        ({"method": "LS", "l": 1, "s": 1, "band_table": 99999}, {"band_table": "not_found"}),
    ],
)
def test_risk_assessment_rejects_values_outside_the_tables(call, body, expected):
    response = call("risk-assessment", body)
    assert fields(response) == expected
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"][0]["message"])  # Chinese


def test_risk_assessment_needs_authentication():
    response = Client().post(f"{TOOLS}/risk-assessment", {"method": "LS"}, content_type="application/json")
    assert response.status_code == 401


# --- GB 18218 -----------------------------------------------------------------------------------


def test_case1_chlorine_and_ammonia(call):
    body = {
        "unit_type": "storage",
        "substances": [{"name": "氯", "quantity_t": 3}, {"cas": "7664-41-7", "quantity_t": 6}],
        "exposed_persons": 60,
    }
    data = call("major-hazard-identification", body).json()
    assert data == {
        "s": 1.2,
        "is_major": True,
        "alpha": 1.5,
        "r": 5.4,
        "grade": 4,
        "lines": [
            {
                "substance": "氯",
                "table1_no": 12,
                "cas": "7782-50-5",
                "category": [],
                "q": 3.0,
                "Q": 5.0,
                "beta": 4.0,
                "beta_source": "table3",
                "ratio": 0.6,
            },
            {
                "substance": "氨",
                "table1_no": 1,
                "cas": "7664-41-7",
                "category": [],
                "q": 6.0,
                "Q": 10.0,
                "beta": 2.0,
                "beta_source": "table3",
                "ratio": 0.6,
            },
        ],
    }


def test_case2_methanol_is_not_major(call):
    data = call(
        "major-hazard-identification",
        {"unit_type": "storage", "substances": [{"name": "甲醇", "quantity_t": 400}]},
    ).json()
    assert (data["s"], data["is_major"], data["r"], data["grade"], data["alpha"]) == (
        0.8,
        False,
        None,
        None,
        None,
    )
    assert data["lines"][0]["beta"] is None


@pytest.mark.parametrize("category", ["W2", None])
def test_case3_lpg(call, category):
    substance = {"name": "液化石油气", "quantity_t": 200} | ({"category": category} if category else {})
    data = call(
        "major-hazard-identification",
        {"unit_type": "storage", "substances": [substance], "exposed_persons": 100},
    ).json()
    assert (data["s"], data["r"], data["grade"]) == (4.0, 12.0, 3)
    assert data["lines"][0]["category"] == ["W2"]
    assert data["lines"][0]["beta_source"] == ("request" if category else "catalogue")


@pytest.mark.parametrize(
    ("quantity", "persons", "r", "grade"),
    [
        (50, 100, 100.0, 1),
        (49.995, 100, 99.99, 2),
        (25, 100, 50.0, 2),
        (5, 100, 10.0, 3),
        (19.98, 0, 9.99, 4),
    ],
)
def test_grade_boundaries(call, quantity, persons, r, grade):
    body = {
        "unit_type": "production",
        "substances": [{"name": "硫化氢", "quantity_t": quantity}],
        "exposed_persons": persons,
    }
    data = call("major-hazard-identification", body).json()
    assert (data["r"], data["grade"]) == (r, grade)


def test_exactly_the_critical_quantity(call):
    body = {
        "unit_type": "storage",
        "substances": [{"name": "光气", "quantity_t": 0.1}, {"name": "碳酰氯", "quantity_t": 0.2}],
    }
    data = call("major-hazard-identification", body | {"exposed_persons": 0}).json()
    assert (data["s"], data["is_major"], data["alpha"], data["r"], data["grade"]) == (1.0, True, 0.5, 10.0, 3)


def test_category_substance_and_several_categories(call):
    body = {
        "unit_type": "production",
        "substances": [{"name": "某有毒易燃气体", "quantity_t": 5, "category": ["J2", "w2"]}],
        "exposed_persons": 0,
    }
    data = call("major-hazard-identification", body).json()
    assert (data["lines"][0]["Q"], data["lines"][0]["beta"], data["s"], data["is_major"]) == (
        10.0,
        1.5,
        0.5,
        False,
    )


def test_values_are_cut_not_rounded(call):
    """2/3 is shown as 0.6666 (never more than the exact value)."""
    body = {
        "unit_type": "storage",
        "substances": [
            {"name": "某物", "quantity_t": 20, "category": "W5.1"},
            {"name": "氯", "quantity_t": "0.000001"},
        ],
    }
    data = call("major-hazard-identification", body | {"exposed_persons": 0}).json()
    assert data["s"] == 2.0 and data["lines"][1]["ratio"] == 0.0
    third = call(
        "major-hazard-identification",
        {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": 3.333333}]},
    ).json()
    assert third["s"] == 0.6666


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"unit_type": "warehouse", "substances": [{"name": "氯", "quantity_t": 1}]},
            {"unit_type": "invalid_choice"},
        ),
        (
            {"unit_type": "storage", "substances": [{"name": "某未知物", "quantity_t": 1}]},
            {"substances.0.category": "required"},
        ),
        (
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": -1}]},
            {"substances.0.quantity_t": "greater_than"},
        ),
        ({"unit_type": "storage", "substances": [{"name": "氯"}]}, {"substances.0.quantity_t": "required"}),
        (
            {"unit_type": "storage", "substances": [{"name": "x", "quantity_t": 1, "category": "W9"}]},
            {"substances.0.category": "invalid_choice"},
        ),
        ({"unit_type": "storage", "substances": []}, {"substances": "too_short"}),
        ({"unit_type": "storage", "substances": [{"quantity_t": 1}]}, {"substances.0.name": "required"}),
        (
            {
                "unit_type": "storage",
                "substances": [{"name": "甲醇", "quantity_t": 600}],
                "exposed_persons": 3,
            },
            {"substances.0.category": "beta_unknown"},
        ),
        (
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": 5}]},
            {"exposed_persons": "required"},
        ),
        (
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": 1}], "exposed_persons": -1},
            {"exposed_persons": "greater_than_equal"},
        ),
    ],
)
def test_major_hazard_identification_errors(call, body, expected):
    response = call("major-hazard-identification", body)
    assert fields(response) == expected
    message = response.json()["detail"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_error_names_the_substance(call):
    response = call(
        "major-hazard-identification",
        {
            "unit_type": "storage",
            "substances": [{"name": "氯", "quantity_t": 1}, {"name": "某未知物", "quantity_t": 1}],
        },
    )
    assert "某未知物" in response.json()["detail"][0]["message"]


# --- band tables --------------------------------------------------------------------------------

STRICT_LS = {
    "method": "LS",
    "region": "360000",
    "code": "ls-15-9-4",
    "name": "LS 分级（≥15 / 9–14 / 4–8 / 1–3）",
    "source": "ls_matrix.json observed_variants[1]",
    "comment": "按本省文件调整",
    "bands": [
        {"min_score": 15, "level": "red", "label": "重大风险"},
        {"min_score": 9, "max_score": 15, "level": "orange", "label": "较大风险"},
        {"min_score": 4, "max_score": 9, "level": "yellow", "label": "一般风险"},
        {"min_score": 0, "max_score": 4, "level": "blue", "label": "低风险"},
    ],
}


def test_list_active_tables(api_token):
    response = Client().get(f"{TOOLS}/risk-band-tables", **api_token("grid_worker"))
    data = response.json()
    assert data["count"] == 2
    lec = next(t for t in data["items"] if t["method"] == "LEC")
    assert lec["bands"][0] == {
        "min_score": 320.0,
        "max_score": None,
        "level": "red",
        "label": "重大风险（D≥320）",
    }
    assert [v["value"] for v in lec["factors"]["E"]] == [10, 6, 3, 2, 1, 0.5]
    assert lec["endpoint_convention"].startswith("Every band is a half-open interval: min_score inclusive")
    assert "D=70 为黄" in lec["verification_note"]


def test_province_sets_a_new_version_and_old_assessments_stay_explainable(call, api_token):
    first = call("risk-assessment", {"method": "LS", "l": 3, "s": 4}).json()
    assert first["level"] == "orange" and first["band_table"]["region_code"] == ""

    province = api_token("province_office")
    response = Client().post(
        f"{TOOLS}/risk-band-tables",
        STRICT_LS,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
        **province,
    )
    assert response.status_code == 201, response.content
    table = response.json()
    assert (table["region_code"], table["version"], table["active"], table["created_by"]) == (
        "360000",
        1,
        True,
        "province_office",
    )
    assert [v["value"] for v in table["factors"]["S"]] == [1, 2, 3, 4, 5]  # copied from the table in force
    again = Client().post(
        f"{TOOLS}/risk-band-tables",
        STRICT_LS,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
        **province,
    )
    assert again.json()["id"] == table["id"]
    assert RiskBandTable.objects.filter(method="LS", region_code="360000").count() == 1
    assert AuditEntry.objects.filter(
        model="standards.riskbandtable", object_id=str(table["id"]), action="create"
    ).exists()

    # the county (in 江西省) now gets the provincial table …
    now = call("risk-assessment", {"method": "LS", "l": 3, "s": 4}).json()
    assert (now["level"], now["band_table"]["id"]) == ("orange", table["id"])
    assert call("risk-assessment", {"method": "LS", "l": 3, "s": 3}).json()["level"] == "orange"  # 9
    # … another province still the national default, and the old table can be named and read
    assert (
        call("risk-assessment", {"method": "LS", "l": 3, "s": 3, "region": "110000"}).json()["level"]
        == "yellow"
    )
    old_id = first["band_table"]["id"]
    assert (
        call("risk-assessment", {"method": "LS", "l": 3, "s": 3, "band_table": old_id}).json()["level"]
        == "yellow"
    )
    old = Client().get(f"{TOOLS}/risk-band-tables/{old_id}", **province).json()
    assert old["bands"][0]["min_score"] == 17.0 and old["active"] is True  # national v1 is still active

    listed = Client().get(f"{TOOLS}/risk-band-tables?method=LS", **province).json()
    assert {t["region_code"] for t in listed["items"]} == {"", "360000"}


def test_new_national_version_deactivates_the_old_one(api_token):
    admin = api_token("sysadmin")
    body = STRICT_LS | {"region": ""}
    new = Client().post(f"{TOOLS}/risk-band-tables", body, content_type="application/json", **admin).json()
    assert new["version"] == 2 and new["supersedes"] is not None
    old = Client().get(f"{TOOLS}/risk-band-tables/{new['supersedes']}", **admin).json()
    assert old["active"] is False and old["version"] == 1
    every = Client().get(f"{TOOLS}/risk-band-tables?method=LS&region=&include_inactive=true", **admin).json()
    assert [t["version"] for t in every["items"]] == [2, 1]


def test_band_table_permissions_and_validation(api_token):
    county = api_token("county_office")
    response = Client().post(
        f"{TOOLS}/risk-band-tables", STRICT_LS, content_type="application/json", **county
    )
    assert response.status_code == 403
    admin = api_token("sysadmin")
    gap = STRICT_LS | {
        "bands": [{"min_score": 0, "max_score": 4, "level": "blue"}, {"min_score": 5, "level": "red"}]
    }
    response = Client().post(f"{TOOLS}/risk-band-tables", gap, content_type="application/json", **admin)
    assert fields(response) == {"bands": "invalid"}
    assert Client().get(f"{TOOLS}/risk-band-tables/99999", **admin).status_code == 404
