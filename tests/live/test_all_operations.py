"""Every operation of the live OpenAPI, called through the real server with a bearer token (issue #9).

The operations come from `/api/v1/openapi.json` as the server serves it, so an endpoint is covered the
day it is added: path parameters are filled from the seeded objects by name, a minimal body is built
from the request schema (its required fields, natural keys where the name says so, a real PNG for a
file), and OVERRIDES holds the few operations that need a special body, persona or object. An
operation the generator cannot fill fails the test, naming what is missing.

Each operation is called by the persona planned for it (a county office unless OVERRIDES says
otherwise), which must succeed (2xx), by the enterprise manager, who may be refused, and without a
token or with an unknown one (401 wherever the schema asks for authentication). Every answer: no 5xx, no 403 for CSRF, JSON
(a file only where BINARY says so, and only on success), errors as `{"detail": …}`.
"""

import datetime as dt
import re
import urllib.parse

import pytest
from django.utils import timezone

from .conftest import PNG, Api, Reply, Seeds

API = "/api/v1"
OFFICE, ENTERPRISE = "county_office", "enterprise_manager"
STRONG_PASSWORD = "Qx7#mLw2!pRz"


def _today() -> dt.date:
    return timezone.localdate()


def _last_month() -> tuple[int, int]:
    first = _today().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


# Successful non-JSON answers: operation → the content type it serves.
BINARY = {
    "GET /api/v1/enterprises/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/hazards/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/accidents/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/risk-points/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/bulletins/{bulletin_id}/download": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "GET /api/v1/site-plans/{plan_id}/image": "image/png",
    "GET /api/v1/documents/{document_id}/download": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "GET /api/v1/jobs/{job_id}/download": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/small-venues/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GET /api/v1/small-venues/qr-sheet": "application/pdf",
    "GET /api/v1/small-venues/{venue_id}/qr": "image/png",
}

from .seeds_tipoffs import BINARY as TIPOFF_BINARY  # noqa: E402  (issue #14: public tip-offs)

BINARY |= TIPOFF_BINARY
from .seeds_letters import BINARY as LETTER_BINARY  # noqa: E402  (issue #15: letters)

BINARY |= LETTER_BINARY


def _user_body(seeds):
    return {
        "username": f"live_inspector_{seeds.keys['now'].strftime('%H%M%S%f')}",
        "role": "inspector",
        "region": "360402",
        "department": "应急管理局",
        "password": STRONG_PASSWORD,
    }


def _rule_version_body():
    from anquan.rules.services import in_force

    current = in_force("enforcement.procedure", _today(), "360402")
    return {
        "effective_from": _today().isoformat(),
        "values": current.values,
        "source": "江西省的规定（测试）",
        "verified": "partial",
        "region_code": "360000",
    }


def _bulletin_body(seeds):
    year, month = _last_month()
    return {"kind": "monthly_dispatch", "region": "360402", "year": year, "month": month}


# Every write (POST/PUT/PATCH/DELETE) answered 2xx must append at least one audit entry (DESIGN rule 3,
# issue #10 item 6), except these, each with its reason (docs/adr/0006-audit-chain.md, "What is not audited").
# Idempotent replays append nothing either (the first answer is replayed), but this test sends no key twice.
NOT_AUDITED = {
    "POST /api/v1/tools/accident-grade": "a calculation answered to the caller: nothing is stored",
    "POST /api/v1/tools/major-hazard-identification": "a calculation answered to the caller: nothing is stored",
    "POST /api/v1/tools/risk-assessment": "a calculation answered to the caller: nothing is stored",
    "POST /api/v1/random-draws/{draw_id}/rerun": "a recomputation answered to the caller: nothing is stored",
}
# Writes known to append no entry yet, each owned by another part of issue #10: the test fails when one of
# them becomes audited, so that it leaves this list (and then is held to the rule like every other write).
KNOWN_GAPS = {}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def last_audit_id() -> int:
    from anquan.core.models import AuditEntry

    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# Operations whose body (or persona) the schema alone cannot give. Each value: persona that must
# succeed, and a body (or a function of the seeds giving one) merged over the generated body.
OVERRIDES = {
    # inspections (issue #13): planned and walked by an inspector of the enterprise's department
    "POST /api/v1/inspections": {
        "persona": "inspector",
        "body": lambda seeds: {"enterprise": seeds.keys["enterprise"], "planned_on": _today().isoformat()},
    },
    "POST /api/v1/inspections/{inspection_id}/items": {
        "persona": "inspector",
        "body": {"text": "应急照明灯不亮", "result": "noncompliant", "note": "二楼走廊"},
    },
    "POST /api/v1/inspections/{inspection_id}/items/{item_id}/photos": {"persona": "inspector"},
    "POST /api/v1/inspections/{inspection_id}/signature": {"persona": "inspector"},
    # the loop's steps and the seizure: by the inspection's own inspectors (its seeded second inspection)
    "POST /api/v1/inspections/{inspection_id}/on-site-measures": {
        "persona": "inspector",
        "body": {"measures": ["责令立即停止作业"]},
    },
    "POST /api/v1/inspections/{inspection_id}/rectification-orders": {
        "persona": "inspector",
        "body": lambda seeds: {"deadline": (_today() + dt.timedelta(days=10)).isoformat()},
    },
    "POST /api/v1/inspections/{inspection_id}/seizures": {
        "persona": "inspector",
        "body": {"measure": "查封", "items": ["甲类仓库"], "period_days": 30},
    },
    "POST /api/v1/inspections/{inspection_id}/seizures/{seizure_id}/extension": {
        "persona": "inspector",
        "body": {"days": 10, "reason": "整改尚未完成，经负责人批准延长"},
    },
    "POST /api/v1/inspections/{inspection_id}/seizures/{seizure_id}/release": {
        "persona": "inspector",
        "body": {"items": ["甲类仓库"], "note": "已整改"},
    },
    "POST /api/v1/inspections/{inspection_id}/reviews/{review_id}/record": {
        "persona": "inspector",
        "body": lambda seeds: {"results": [{"item": seeds.keys["review_item"], "rectified": True}]},
    },
    # checklist templates serve every county: the province office makes a new version
    "POST /api/v1/inspections/checklists/{checklist_id}/versions": {
        "persona": "province_office",
        "body": {"items": [{"text": "储罐区可燃气体报警器是否定期检定"}], "note": "增加储罐区检查项"},
    },
    # a drawn inspector starts the pick's random inspection
    "POST /api/v1/random-draws/{draw_id}/picks/{position}/inspection": {"persona": "inspector"},
    "POST /api/v1/inspections/{inspection_id}/transitions": {
        "persona": "inspector",
        "body": {"action": "cancel", "reason": "企业停产"},
    },
    "POST /api/v1/auth/token": {
        "body": lambda seeds: {"username": OFFICE, "password": seeds.keys["password"]},
    },
    "POST /api/v1/users": {"body": _user_body},
    # the same password again, so later logins of the persona still work (the change revokes its tokens)
    "POST /api/v1/users/me/password": {
        "body": lambda seeds: {"old_password": seeds.keys["password"], "new_password": seeds.keys["password"]}
    },
    "POST /api/v1/enterprises": {
        "body": lambda seeds: {
            "name": "濂溪新材料有限公司",
            "uscc": seeds.keys["new_uscc"],
            "region": seeds.keys["township"],
            "industry": "hazardous_chemicals",
        }
    },
    "PATCH /api/v1/enterprises/{enterprise_id}": {"body": {"address": "濂溪区十里大道1号"}},
    # a change that changes something (an empty PATCH is a successful no-op, with nothing to audit)
    "PATCH /api/v1/users/{user_id}": {"body": {"password": STRONG_PASSWORD}},
    "DELETE /api/v1/enterprises/{enterprise_id}": {"persona": "sysadmin"},
    "POST /api/v1/enterprises/{enterprise_id}/transitions": {
        "body": {"action": "suspend", "reason": "动火作业事故后责令停产整顿"}
    },
    "POST /api/v1/hazards": {
        "body": lambda seeds: {
            "enterprise": seeds.keys["enterprise"],
            "source": "inspection",
            "description": "配电室无挡鼠板",
        }
    },
    "POST /api/v1/hazards/{hazard_id}/transitions": {"body": {"action": "accept"}},
    "POST /api/v1/hazards/{hazard_id}/listing": {
        "body": lambda seeds: {
            "level": "county",
            "authority": "濂溪区安委办",
            "document_no": "濂安办〔2026〕9号",
            "deadline": (_today() + dt.timedelta(days=60)).isoformat(),
        }
    },
    "POST /api/v1/hazards/{hazard_id}/progress-reports": {"body": {"text": "已完成一半"}},
    "POST /api/v1/hazards/{hazard_id}/delisting": {"body": {"text": "整改验收合格"}},
    "POST /api/v1/accidents": {
        "body": lambda seeds: {
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "enterprise": seeds.keys["enterprise"],
            "category": "WSA10001",
            "summary": "高处坠落",
            "serious_injuries": 1,
        }
    },
    "POST /api/v1/accidents/{accident_id}/transitions": {
        "body": {"action": "report_up", "to_level": "county"}
    },
    "POST /api/v1/bulletins": {"body": _bulletin_body},
    "POST /api/v1/bulletins/prior-totals": {
        "body": lambda seeds: {
            "region": "360402",
            "year": _today().year - 1,
            "month": 1,
            "accidents": 2,
            "deaths": 1,
        }
    },
    "PATCH /api/v1/check-schedules/{schedule_id}": {"body": {"content": "检查液位计与压力表"}},
    "POST /api/v1/check-schedules/{schedule_id}/transitions": {"body": {"action": "deactivate"}},
    "POST /api/v1/check-tasks/{task_id}/complete": {"persona": ENTERPRISE, "body": {"outcome": "normal"}},
    "POST /api/v1/risk-points": {
        "body": lambda seeds: {"enterprise": seeds.keys["enterprise"], "name": "动火作业", "kind": "activity"}
    },
    "POST /api/v1/risk-points/{point_id}/assessments": {"body": {"method": "LEC", "l": 3, "e": 6, "c": 15}},
    "POST /api/v1/risk-points/{point_id}/check-schedules": {
        "body": {"frequency": "week", "post": "动火监护岗", "content": "检查动火票"}
    },
    "POST /api/v1/major-hazard-installations": {
        "body": lambda seeds: {
            "enterprise": seeds.keys["enterprise"],
            "name": "液氨储存单元",
            "unit_type": "storage",
            "exposed_persons": 20,
            "substances": [{"name": "氨", "quantity_t": "5"}],
        }
    },
    "POST /api/v1/risk-reports": {"persona": ENTERPRISE, "body": lambda seeds: {"year": seeds.keys["year"]}},
    "POST /api/v1/risk-reports/{report_id}/submit": {"persona": ENTERPRISE},
    "POST /api/v1/risk-reports/{report_id}/return": {"body": {"reason": "请补充液氯储罐区的管控措施"}},
    "POST /api/v1/site-plans": {"persona": ENTERPRISE},
    "POST /api/v1/random-draws": {
        "body": {"title": "接口新建抽查", "department": "应急管理局", "enterprise_count": 1, "repeat_days": 0}
    },
    "POST /api/v1/random-draws/{draw_id}/transitions": {"body": {"action": "publish"}},
    "POST /api/v1/random-draws/{draw_id}/picks/{position}/result": {"body": {"result": "no_problem"}},
    "POST /api/v1/inspection-plans": {
        "persona": "inspector",
        "body": lambda seeds: {
            "year": seeds.keys["year"] - 1,
            "inspectors": 6,
            "other_enforcement_days": 120,
        },
    },
    "POST /api/v1/inspection-plans/{inspection_plan_id}/transitions": {
        "persona": "inspector",
        "body": {"action": "submit"},
    },
    "PUT /api/v1/inspection-plans/{inspection_plan_id}/entries/{entry_id}": {
        "persona": "inspector",
        "body": {},
    },
    "PUT /api/v1/site-plans/{plan_id}/placements": {
        "persona": ENTERPRISE,
        "body": lambda seeds: {"placements": [{"point": seeds.keys["point"], "x": 0.25, "y": 0.75}]},
    },
    "POST /api/v1/tools/major-hazard-identification": {
        "body": {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": "3"}]}
    },
    "POST /api/v1/tools/risk-assessment": {"body": {"method": "LS", "l": 2, "s": 4}},
    "POST /api/v1/tools/risk-band-tables": {
        "persona": "province_office",
        "body": {
            "method": "LS",
            "region": "360000",
            "code": "ls-jiangxi-live",
            "name": "江西省LS风险分级表（测试）",
            "source": "DB36 测试",
            "bands": [
                {"min_score": 20, "level": "red"},
                {"min_score": 15, "max_score": 20, "level": "orange"},
                {"min_score": 9, "max_score": 15, "level": "yellow"},
                {"min_score": 0, "max_score": 9, "level": "blue"},
            ],
        },
    },
    # 作废 by the supervisor of the issuing department (濂溪区应急管理局)
    "POST /api/v1/documents/{document_id}/void": {
        "persona": "emergency_supervisor",
        "body": {"reason": "编号有误，重新制发"},
    },
    # a province's own version of the procedure figures, from today on, the figures of the version in force
    "POST /api/v1/rules/{key}/versions": {
        "persona": "province_office",
        "body": lambda seeds: _rule_version_body(),
    },
    "POST /api/v1/tools/risk-map-rules": {
        "persona": "province_office",
        "body": {
            "region": "360000",
            "red_share": "0.1",
            "orange_share": "0.2",
            "yellow_share": "0.3",
            "source": "测试规则",
        },
    },
    # enforcement cases (issue #13): each step by the role the case workflow gives it
    "POST /api/v1/enforcement-cases": {
        "persona": "inspector",
        "body": lambda seeds: {
            "enterprise": seeds.keys["enterprise"],
            "source": "inspection",
            "facts": "违法事实",
        },
    },
    "POST /api/v1/enforcement-cases/{case_id}/transitions": {
        "persona": "emergency_supervisor",
        "body": {"action": "assign", "investigators": ["inspector", "emergency_supervisor"]},
    },
    "POST /api/v1/enforcement-cases/{case_id}/referrals": {
        "persona": "inspector",
        "body": {
            "officers": ["inspector", "emergency_supervisor"],
            "persons": ["张三"],
            "suspected_crime": "危险作业罪",
            "reason": "x",
        },
    },
    "POST /api/v1/enforcement-referrals/{referral_id}/transitions": {
        "persona": "emergency_supervisor",
        "body": {"action": "approve"},
    },
    "POST /api/v1/enforcement-cases/{case_id}/listings": {
        "persona": "emergency_supervisor",
        "body": {"condition": "concealed", "reason": "瞒报事故"},
    },
    "POST /api/v1/credit-listings/{listing_id}/transitions": {
        "persona": "emergency_supervisor",
        "body": {"action": "remove", "reason": "信用修复"},
    },
    # small venues (issue #14)
    "POST /api/v1/small-venues": {
        "body": lambda seeds: {
            "kind": "small_hotel",
            "name": "十里旅社",
            "address": "十里大道9号",
            "region": seeds.keys["township"],
            "owner_name": "钱七",
            "owner_phone": "13600000000",
        }
    },
    "PATCH /api/v1/small-venues/{venue_id}": {"body": {"extinguishers": 4}},
    # grids and patrols (issue #14): a township grid of the county's first township; a visit by its grid worker
    "POST /api/v1/grids": {
        "body": lambda seeds: {
            "level": "township",
            "region": seeds.keys["grid_township"],
            "name": "接口新建网格",
        },
    },
    "PUT /api/v1/grids/{grid_id}/plan": {"body": {"frequency": "week", "active": True}},
    "POST /api/v1/grids/{grid_id}/allowances": {
        "body": lambda seeds: {"month": "{:04d}-{:02d}".format(*_last_month())},
    },
    "POST /api/v1/patrols/{patrol_id}/check-in": {"persona": "grid_worker", "body": {}},
    "POST /api/v1/patrols/{patrol_id}/visits": {
        "persona": "grid_worker",
        "body": lambda seeds: {"target": seeds.keys["patrol_target"], "outcome": "normal"},
    },
}
from .seeds_tipoffs import OVERRIDES as TIPOFF_OVERRIDES  # noqa: E402  (issue #14: public tip-offs)

OVERRIDES |= TIPOFF_OVERRIDES
from .seeds_letters import OVERRIDES as LETTER_OVERRIDES  # noqa: E402  (issue #15: letters)

OVERRIDES |= LETTER_OVERRIDES

from .seeds_imports import BINARY as IMPORT_BINARY  # noqa: E402  (issue #15: task-list imports)
from .seeds_imports import OVERRIDES as IMPORT_OVERRIDES  # noqa: E402

OVERRIDES |= IMPORT_OVERRIDES
BINARY |= IMPORT_BINARY
from .seeds_dispatch import OVERRIDES as DISPATCH_OVERRIDES  # noqa: E402  (issue #15: dispatches)

OVERRIDES |= DISPATCH_OVERRIDES
from .seeds_assessments import OVERRIDES as ASSESSMENT_OVERRIDES  # noqa: E402  (issue #15: assessments, flags)

OVERRIDES |= ASSESSMENT_OVERRIDES
from .seeds_campaigns import OVERRIDES as CAMPAIGN_OVERRIDES  # noqa: E402  (issue #15: campaigns)

OVERRIDES |= CAMPAIGN_OVERRIDES
from .seeds_monitoring import OVERRIDES as MONITORING_OVERRIDES  # noqa: E402  (issue #16: monitoring points)

OVERRIDES |= MONITORING_OVERRIDES
from .seeds_emergency import OVERRIDES as EMERGENCY_OVERRIDES  # noqa: E402  (issue #17: emergency plans)

OVERRIDES |= EMERGENCY_OVERRIDES

from .seeds_personnel import OVERRIDES as PERSONNEL_OVERRIDES  # noqa: E402  (issue #17 part 1, personnel17)

OVERRIDES |= PERSONNEL_OVERRIDES

from .seeds_rescue import OVERRIDES as RESCUE_OVERRIDES  # noqa: E402  (issue #17: rescue forces)

OVERRIDES |= RESCUE_OVERRIDES

# Field names that carry a natural key or a value of a known shape (the generated body's hints).
TEXT = "测试内容"


def hint(name: str, seeds):
    keys = seeds.keys
    hints = {
        "enterprise": keys.get("enterprise"),
        "region": keys.get("region"),
        "industry": keys.get("industry"),
        "department": keys.get("department"),
        "uscc": keys.get("new_uscc"),
        "year": keys.get("year"),
        "point": keys.get("point"),
        "risk_point": keys.get("point"),
        "campaign": keys.get("campaign"),  # issue #15: the seeded campaign (tests/live/seeds_campaigns.py)
        "password": STRONG_PASSWORD,
        "username": f"live_{timezone.now().strftime('%H%M%S%f')}",
    }
    if hints.get(name) is not None:
        return hints[name]
    if name.endswith("_at"):
        return (timezone.now() - dt.timedelta(hours=1)).isoformat()
    if name in ("deadline", "until", "next_due") or name.endswith("_date"):
        return (_today() + dt.timedelta(days=30)).isoformat()
    if name.endswith("phone"):
        return "13800000000"
    return None


class CannotCall(Exception):
    pass


def resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example(schema: dict, name: str, seeds, spec: dict):
    """A value for a required field: a hint by its name, else one derived from its schema."""
    value = hint(name, seeds)
    if value is not None:
        return value
    schema = resolve(schema, spec)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [resolve(o, spec) for o in schema[combinator] if resolve(o, spec).get("type") != "null"]
            if options:
                return example(options[0], name, seeds, spec)
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return _today().isoformat()
        if schema.get("format") == "date-time":
            return (timezone.now() - dt.timedelta(hours=1)).isoformat()
        if schema.get("format") == "binary":
            return ("现场.png", PNG, "image/png")
        return TEXT[: schema.get("maxLength", len(TEXT))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "array":
        count = schema.get("minItems", 0)
        return [example(schema.get("items", {}), name, seeds, spec) for _ in range(count)]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: example(props[k], k, seeds, spec) for k in schema.get("required", [])}
    raise CannotCall(f"field {name!r}: no hint and no usable schema ({schema})")


def operations(spec: dict) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) of the schema, deletions last (they remove what others use)."""
    found = [
        (method.upper(), path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    return sorted(found, key=lambda item: (item[0] == "DELETE", item[1], item[0]))


def build(spec: dict, method: str, path: str, op: dict, seeds) -> dict:
    """The request for one operation: URL, JSON body or multipart form, persona."""
    label = f"{method} {path}"
    override = OVERRIDES.get(label, {})
    values = {**seeds.ids, **seeds.by_operation.get(label, {})}
    url = path
    query = {}
    for param in op.get("parameters", []):
        name = param["name"]
        if param["in"] == "path":
            if name not in values:
                raise CannotCall(f"{label}: no seeded object for path parameter {{{name}}}")
            url = url.replace("{" + name + "}", str(values[name]))
        elif param["in"] == "query" and param.get("required"):
            query[name] = example(param.get("schema", {}), name, seeds, spec)
    if re.search(r"{[^}]+}", url):
        raise CannotCall(f"{label}: path parameters left unfilled in {url}")
    if query:
        url += "?" + urllib.parse.urlencode(query)
    request = {"label": label, "url": url, "persona": override.get("persona", OFFICE)}
    content = op.get("requestBody", {}).get("content", {})
    extra = override.get("body", {})
    extra = extra(seeds) if callable(extra) else extra
    if not content:
        if extra:
            raise CannotCall(f"{label}: OVERRIDES gives a body but the schema takes none")
        return request
    media = next(iter(content))
    body = example(content[media]["schema"], "", seeds, spec)
    if isinstance(body, list):  # a batch (monitoring readings): an override is the whole body
        body = extra or body
    else:
        body.update(extra)
    if media == "application/json":
        request["json_body"] = body
    elif media == "multipart/form-data":
        form = {k: v for k, v in body.items()}
        schema = resolve(content[media]["schema"], spec)
        for key, prop in schema.get("properties", {}).items():  # a file part even where it is optional
            if resolve(prop, spec).get("format") == "binary" and key not in form:
                form[key] = ("现场.png", PNG, "image/png")
        request["form"] = form
    else:
        raise CannotCall(f"{label}: request body {media} not supported by the generator")
    return request


def problems(reply: Reply, label: str, persona: str) -> list[str]:
    """What a client must never meet: a 5xx, a CSRF refusal, an answer that is not JSON."""
    binary = BINARY.get(label)
    label = f"{label} as {persona}"
    found = []
    if reply.status == 204:  # No Content: nothing to read
        return [f"{label}: 204 with a body — {reply.excerpt()}"] if reply.body else []
    if reply.status >= 500:
        found.append(f"{label}: server error — {reply.excerpt()}")
    if reply.status == 403 and b"CSRF" in reply.body:
        found.append(f"{label}: refused for CSRF — {reply.excerpt()}")
    if binary and 200 <= reply.status < 300:
        if reply.content_type != binary:
            found.append(f"{label}: expected {binary} — {reply.excerpt(120)}")
    elif not reply.is_json:
        found.append(f"{label}: answer is not JSON — {reply.excerpt()}")
    else:
        try:
            body = reply.json()
        except ValueError:
            return found + [f"{label}: body is not valid JSON — {reply.excerpt()}"]
        if reply.status >= 400 and not error_shaped(body):
            found.append(f"{label}: error not in the documented shape {{detail}} — {reply.excerpt()}")
    return found


def error_shaped(body) -> bool:
    """`{"detail": "…"}` or `{"detail": [{"field", "code", "message"}, …]}` (README: API)."""
    if not isinstance(body, dict) or "detail" not in body:
        return False
    detail = body["detail"]
    if isinstance(detail, str):
        return bool(detail)
    return (
        isinstance(detail, list)
        and bool(detail)
        and all(isinstance(d, dict) and {"field", "code", "message"} <= d.keys() for d in detail)
    )


@pytest.fixture
def spec(live):
    reply = Api(live).get(f"{API}/openapi.json")
    assert reply.status == 200 and reply.is_json, reply.excerpt()
    return reply.json()


@pytest.fixture
def seeds(seeded, world):
    from anquan.enterprises import uscc

    from ..conftest import PASSWORD

    seeded.keys.update(
        password=PASSWORD, new_uscc=uscc.make("91", "360402", "00000077"), township=world.t1.code
    )
    return seeded


@pytest.mark.django_db(transaction=True)
def test_every_operation_is_callable_and_answers_json(live, spec, seeds, as_persona, subtests):
    """Each operation: its planned persona succeeds (a write with at least one new audit entry, unless
    NOT_AUDITED says why not); the enterprise manager is answered, maybe refused; neither meets a 5xx, a CSRF
    refusal or a non-JSON answer."""
    ops = operations(spec)
    assert len(ops) >= 75, "the schema lost operations"
    unknown = sorted(
        (set(OVERRIDES) | set(seeds.by_operation) | set(NOT_AUDITED) | set(KNOWN_GAPS))
        - {f"{m} {p}" for m, p, _ in ops}
    )
    assert not unknown, f"OVERRIDES or the seeds name operations the schema no longer has: {unknown}"
    called = 0
    for method, path, op in ops:
        label = f"{method} {path}"
        with subtests.test(msg=label):
            request = build(spec, method, path, op, seeds)  # CannotCall fails this operation
            found = []
            personas = [request["persona"]] + [p for p in (OFFICE, ENTERPRISE) if p != request["persona"]]
            for n, persona in enumerate(personas):
                call = {k: v for k, v in request.items() if k in ("json_body", "form")}
                if persona == "gateway":  # a data gateway calls with its key (tests/live/seeds_monitoring.py)
                    api = Api(live, seeds.ids["gateway_key"])
                else:
                    api = as_persona(persona)  # logging in is audited by itself: before the mark
                mark = last_audit_id()
                reply = api.call(method, request["url"], **call)
                if path.startswith(("/api/v1/auth/tokens", "/api/v1/users/me/password")) or (
                    method == "PATCH" and path.startswith("/api/v1/users")
                ):
                    as_persona.forget()  # it may have revoked the caller's (or the target's) tokens: log in again
                called += 1
                found += problems(reply, label, persona)
                if n == 0 and not 200 <= reply.status < 300:
                    found.append(f"{label} as {persona}: expected success — {reply.excerpt()}")
                elif n == 0 and method in WRITES and label not in NOT_AUDITED:
                    audited = last_audit_id() > mark
                    if not audited and label not in KNOWN_GAPS:
                        found.append(f"{label} as {persona}: succeeded without an audit entry")
                    if audited and label in KNOWN_GAPS:
                        found.append(f"{label}: audited now, remove it from KNOWN_GAPS")
            # without a token, and with a token the server does not know (revoked, expired, mistyped):
            # 401 in JSON wherever the schema asks for authentication, so a client knows to log in again
            call = {k: v for k, v in request.items() if k in ("json_body", "form")}
            for who, token in (("anonymous", None), ("unknown token", "revoked-or-mistyped")):
                reply = Api(live, token).call(method, request["url"], **call)
                called += 1
                found += problems(reply, label, who)
                if op.get("security") and reply.status != 401:
                    found.append(f"{label} as {who}: expected 401 — {reply.excerpt()}")
            assert not found, "\n".join(found)
    # every entry those requests wrote was chained right after its commit (the on-commit chainer), and holds
    from anquan.core import audit

    result = audit.verify()
    assert result.ok and result.unchained == 0, result
    print(f"\n{len(ops)} operations in the schema, {called} calls")


def test_an_operation_the_generator_cannot_fill_fails():
    """A new endpoint whose path parameter no seeded object answers, or whose body the generator cannot
    build, stops the test above instead of being skipped silently."""
    seeds = Seeds(ids={"hazard_id": 1})
    spec = {"paths": {}, "components": {"schemas": {}}}
    unknown_param = {"parameters": [{"name": "widget_id", "in": "path", "required": True}]}
    with pytest.raises(CannotCall, match="widget_id"):
        build(spec, "GET", "/api/v1/widgets/{widget_id}", unknown_param, seeds)
    xml_body = {"requestBody": {"content": {"application/xml": {"schema": {"type": "object"}}}}}
    with pytest.raises(CannotCall, match="application/xml"):
        build(spec, "POST", "/api/v1/widgets", xml_body, seeds)
    untyped = {"type": "object", "required": ["gadget"], "properties": {"gadget": {}}}
    with pytest.raises(CannotCall, match="gadget"):
        build(
            spec,
            "POST",
            "/api/v1/widgets",
            {"requestBody": {"content": {"application/json": {"schema": untyped}}}},
            seeds,
        )
