"""Schemathesis against the live server's own schema, as a county office and as an enterprise manager
(bearer tokens), on the seeded world (issue #9 item 2).

Every operation of `/api/v1/openapi.json` gets the examples of its schema plus MAX_EXAMPLES generated
cases (valid and invalid data), each checked for: no server error, a response that matches its
documented schema, a documented status code and a documented content type. The run is repeatable:
a fixed seed, derandomised generation, no Hypothesis database, no shrinking (a failure is reported as
found). The numbers each role sent per operation are printed at the end (`-s` shows them).
"""

import time
from collections import Counter

import pytest
import schemathesis
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from .conftest import issue_token

# Generated cases per operation in the fuzzing phase (the schema's own examples come on top).
# 75 operations × 2 roles × up to 10 cases keeps the run within about 3 minutes on 2 cores.
MAX_EXAMPLES = 10
SEED = 20261201

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
        },
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},  # hundreds of boundary cases per operation: not in this budget
            "stateful": {"enabled": False},
        },
    }
)

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
]

ROLES = ["county_office", "enterprise_manager"]
SENT: dict[str, Counter] = {role: Counter() for role in ROLES}  # requests per operation
SPENT: dict[str, Counter] = {role: Counter() for role in ROLES}  # seconds per operation


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def bearer(live, seeded, world, role):
    headers = {"Authorization": f"Bearer {issue_token(live, world.users[role].username)}"}
    headers["renew"] = lambda: headers.update(
        Authorization=f"Bearer {issue_token(live, world.users[role].username)}"
    )
    return headers


@pytest.fixture
def api_schema(live, seeded, role):
    # The schema is built on first request; on a loaded machine that passes requests' 10 s default.
    schema = schemathesis.openapi.from_url(f"{live}/api/v1/openapi.json", config=CONFIG, timeout=120)
    yield schema
    sent, spent = SENT[role], SPENT[role]
    print(
        f"\nschemathesis as {role}: {sum(sent.values())} requests over {len(sent)} operations in "
        f"{sum(spent.values()):.0f} s (max {MAX_EXAMPLES} generated per operation, plus schema examples); "
        "per operation: "
        + ", ".join(f"{label} {n} ({spent[label]:.1f} s)" for label, n in sorted(sent.items()))
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.once  # in the PostgreSQL pass only (docs/adr/0031-outside-world-suites-run-once.md)
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
def test_api_conforms_to_its_schema(case, live, bearer, role):
    SENT[role][case.operation.label] += 1
    started = time.monotonic()
    headers = {"Authorization": bearer["Authorization"]}
    try:
        response = case.call_and_validate(base_url=live, headers=headers, checks=CHECKS, timeout=60)
    finally:
        SPENT[role][case.operation.label] += time.monotonic() - started
    if case.operation.path.startswith("/auth/tokens") or case.operation.path.startswith(
        "/api/v1/auth/tokens"
    ):
        bearer["renew"]()  # a generated id or revoke-all may have revoked the token this run uses
    # a run whose token died would "conform" by answering 401 everywhere: a valid token is never refused (but where
    # a person's token is not the credential at all: the readings door takes a gateway's key, tests/monitoring)
    if case.operation.path not in (
        "/auth/token",
        "/api/v1/auth/token",
        "/monitoring/readings",
        "/api/v1/monitoring/readings",
    ):
        assert response.status_code != 401, f"{case.operation.label}: the role's valid token was refused"
