"""The live HTTP layer (issue #9): the app served on a real socket by pytest-django's `live_server` (the
whole middleware stack, CSRF included), a seeded world with one object of every kind an operation
needs, and a plain HTTP client (urllib) that logs in as a persona through `POST /api/v1/auth/token`
and calls with `Authorization: Bearer`. No Django test client here: what a phone app or a script
would meet is what these tests meet."""

import base64
import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from ..conftest import PASSWORD, make_enterprise

# a real 1×1 PNG (checked by content by every upload)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@dataclass
class Reply:
    status: int
    headers: object
    body: bytes
    method: str = ""
    url: str = ""

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    @property
    def is_json(self) -> bool:
        return self.content_type == "application/json"

    def json(self):
        return json.loads(self.body)

    def excerpt(self, size: int = 300) -> str:
        text = self.body[:size].decode("utf-8", "replace")
        return f"{self.method} {self.url} → {self.status} {self.content_type}: {text}"


def multipart(fields: dict) -> tuple[bytes, str]:
    """Encode `fields` as multipart/form-data; a value (filename, bytes, content type) is a file."""
    boundary = f"----anquan{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, data, content_type = value
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(f"--{boundary}\r\n".encode() + head.encode() + data + b"\r\n")
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(f"--{boundary}\r\n{head}{value}\r\n".encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Api:
    """A client of the live server: JSON or multipart bodies, a bearer token, nothing else."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base.rstrip("/"), token

    def call(
        self, method: str, path: str, *, json_body=None, form: dict | None = None, headers=None, raw=None
    ) -> Reply:
        url = path if path.startswith("http") else self.base + path
        data, content_type = None, None
        if raw is not None:
            data, content_type = raw
        elif form is not None:
            data, content_type = multipart(form)
        elif json_body is not None:
            data, content_type = json.dumps(json_body, ensure_ascii=False).encode(), "application/json"
        request = urllib.request.Request(url, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Reply(response.status, response.headers, response.read(), method, url)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read(), method, url)

    def get(self, path: str, **params) -> Reply:
        if params:
            path += "?" + urllib.parse.urlencode(params)
        return self.call("GET", path)

    def post(self, path: str, body=None, **kw) -> Reply:
        return self.call("POST", path, json_body=body if body is not None else {}, **kw)

    def patch(self, path: str, body, **kw) -> Reply:
        return self.call("PATCH", path, json_body=body, **kw)


def issue_token(base: str, username: str, password: str = PASSWORD) -> str:
    reply = Api(base).post("/api/v1/auth/token", {"username": username, "password": password})
    assert reply.status == 200, reply.excerpt()
    return reply.json()["token"]


@pytest.fixture
def live(live_server, transactional_db):
    """The base URL of the app on a real socket (database committed, visible to the server thread)."""
    return live_server.url


@pytest.fixture
def as_persona(live, world):
    """`as_persona("county_office")` → an Api logged in with that persona's bearer token."""
    tokens: dict[str, str] = {}

    def make(persona: str) -> Api:
        if persona not in tokens:
            tokens[persona] = issue_token(live, world.users[persona].username)
        return Api(live, tokens[persona])

    make.forget = tokens.clear  # after an operation that revokes the caller's own tokens
    return make


@dataclass
class Seeds:
    """One object of every kind an operation works on, each in the state its operation needs."""

    ids: dict = field(default_factory=dict)  # path parameter name → value
    by_operation: dict = field(default_factory=dict)  # "METHOD /path" → {param: value} overrides
    keys: dict = field(default_factory=dict)  # natural keys: enterprise USCC, region code …


def _ago(**kw) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kw)


def _photo(name: str = "现场.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def seeded(world, transactional_db):
    """The world of tests/conftest.py plus, through the services: hazards in the states their
    operations need, an accident, a risk point with an assessment, a check schedule with an open task,
    an installation, a site plan, risk reports (draft, submitted twice), a bulletin, a band table, and a
    spare enterprise to delete."""
    from anquan.accidents import actions as accident_actions
    from anquan.accounts.services import create_user
    from anquan.bulletins import generate
    from anquan.checks import services as tasks
    from anquan.checks.choices import TaskStatus
    from anquan.checks.models import CheckTask
    from anquan.hazards import actions, listing
    from anquan.hazards import services as reporting
    from anquan.hazards.models import JudgementItem
    from anquan.majorhazards import services as installations
    from anquan.riskpoints import services as points
    from anquan.riskpoints import site_plans
    from anquan.riskreports import actions as reports
    from anquan.standards.models import RiskBandTable

    from ..riskpoints.helpers import REFERENCE_INSTALLATION

    county, inspector = world.users["county_office"], world.users["inspector"]
    manager = world.users["enterprise_manager"]
    supervisor = world.users["emergency_supervisor"]
    uscc = world.chem_t1.uscc
    now = timezone.now()

    def report(description, **extra):
        raw = {"enterprise": uscc, "source": "inspection", "description": description, **extra}
        return reporting.report_hazard(raw, actor=inspector)

    # the default hazard, as a grid worker reports it: waiting for an authority to accept it
    reported = reporting.report_hazard(
        {"enterprise": uscc, "source": "grid_patrol", "description": "消防通道堵塞"},
        actor=world.users["grid_worker"],
    )
    major_item = JudgementItem.objects.filter(standard__code="chemical").order_by("pk").first()
    plan = {
        "responsible_party": "生产部",
        "deadline": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "measures": "更换阀门",
        "funds_yuan": "5000",
        "contingency_plan": "停车预案",
    }
    to_list = report("液氯储罐无紧急切断", judgement_item=major_item.pk)
    actions.transition(to_list, "assign", actor=inspector, **plan)
    listed = report("液氨储罐无泄漏报警", judgement_item=major_item.pk)
    actions.transition(listed, "assign", actor=inspector, **plan)
    deadline = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    listing.list_hazard(
        listed,
        actor=county,
        level="county",
        authority="濂溪区安委办",
        document_no="濂安办〔2026〕1号",
        deadline=deadline,
    )
    to_delist = report("罐区防火堤破损", judgement_item=major_item.pk)
    actions.transition(to_delist, "assign", actor=inspector, **plan)
    listing.list_hazard(
        to_delist,
        actor=county,
        level="county",
        authority="濂溪区安委办",
        document_no="濂安办〔2026〕2号",
        deadline=deadline,
    )
    evidence = reporting.add_attachment(to_delist, _photo(), stage="evidence", actor=manager)
    actions.transition(to_delist, "submit", actor=manager, evidence="已修复", attachments=[evidence.pk])
    actions.transition(to_delist, "accept_rectification", actor=supervisor)

    accident = accident_actions.report_accident(
        {
            "occurred_at": _ago(hours=2).isoformat(),
            "enterprise": uscc,
            "category": "WSA10001",
            "summary": "储罐区物体打击",
            "deaths": 1,
        },
        actor=county,
    )

    point = points.create_point(
        {
            "enterprise": uscc,
            "name": "液氯储罐区",
            "kind": "installation",
            "location": "厂区东侧",
            "factor_kinds": ["object"],
            "accident_categories": ["WSA10009"],
            "responsible_person": "张三",
        },
        actor=manager,
    )
    points.assess(point, {"method": "LS", "l": 2, "s": 3}, actor=manager)
    schedule = tasks.add_schedule(
        point, {"frequency": "month", "post": "储罐区巡检岗", "content": "检查液位、压力"}, actor=manager
    )
    task = CheckTask.objects.filter(schedule=schedule, status=TaskStatus.OPEN).first()
    installation = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": uscc}, actor=manager
    )
    site_plan = site_plans.upload_plan({"name": "全厂平面图"}, _plan_image(), actor=manager)

    # risk reports: this year's of chem_t1 is left for the API to create; last year's is a draft to
    # submit; chem_t2's (its own manager) is submitted twice over two years: one to accept, one to return
    t2_manager = create_user(
        actor=None,
        username="t2_manager",
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=world.chem_t2.uscc,
    )
    year = timezone.localdate().year
    draft = reports.create_report({"enterprise": uscc, "year": year - 1, **_statement()}, actor=manager)
    to_accept = reports.create_report(
        {"enterprise": world.chem_t2.uscc, "year": year, **_statement()}, actor=t2_manager
    )
    reports.submit(to_accept, actor=t2_manager)
    to_return = reports.create_report(
        {"enterprise": world.chem_t2.uscc, "year": year - 1, **_statement()}, actor=t2_manager
    )
    reports.submit(to_return, actor=t2_manager)

    bulletin = generate.generate(county, {"kind": "yearly_evaluation", "region": "360402", "year": year - 1})
    # a finished background export of the county office (its status and its file)
    from anquan.jobs import exports, worker
    from anquan.jobs.models import JobKind

    export_job = exports.submit(JobKind.HAZARD_EXPORT, county, {})
    worker.run_pending()
    spare = make_enterprise(world.t2, "construction", "待注销建筑有限公司", "360402", 9)
    band_table = RiskBandTable.objects.filter(active=True).order_by("pk").first()
    # a spare token of the county office (never the one a test calls with), for token operations
    from anquan.accounts.models import ApiToken

    ApiToken.issue(county)
    spare_token = ApiToken.objects.filter(user=county).order_by("-pk").first()
    # a live token of an account in the county's scope, for the revocation (the county's own are revoked by
    # revoke-all before it: revoking a revoked token is a no-op)
    ApiToken.issue(world.users["grid_worker"])
    grid_token = ApiToken.objects.filter(user=world.users["grid_worker"]).order_by("-pk").first()

    # an inspection under way by two inspectors of 应急管理局 (issue #13), its first item already checked
    from anquan.inspections import services as inspections

    inspection = inspections.create(
        {
            "enterprise": uscc,
            "planned_on": now.date().isoformat(),
            "inspectors": ["inspector", "emergency_supervisor"],
        },
        actor=world.users["inspector"],
    )
    inspections.transition(inspection, "start", actor=world.users["inspector"])
    first_item = inspection.items.order_by("order").first()
    inspections.record_result(
        inspection, {"item": first_item.pk, "result": "compliant"}, actor=world.users["inspector"]
    )
    drawn, published = _random_draws(world, county)
    # a second inspection that found two problems (the loop, issue #13 item 7): the first ordered rectified, its
    # review waiting; the second left for the API to order; measures and a seizure are taken on it
    from anquan.enterprises.models import Enterprise
    from anquan.inspections import issuing
    from anquan.inspections.models import ChecklistTemplate

    Enterprise.objects.filter(uscc=uscc).update(address="濂溪区十里大道8号", legal_representative="张法人")
    found = inspections.create(
        {
            "enterprise": uscc,
            "planned_on": now.date().isoformat(),
            "inspectors": ["inspector", "emergency_supervisor"],
        },
        actor=world.users["inspector"],
    )
    inspections.transition(found, "start", actor=world.users["inspector"])
    bad = list(found.items.order_by("order")[:2])
    for item in bad:
        inspections.record_result(
            found,
            {"item": item.pk, "result": "noncompliant", "note": "报警器失效"},
            actor=world.users["inspector"],
        )
    review = issuing.order_rectification(
        found,
        {"items": [bad[0].pk], "deadline": (now.date() + dt.timedelta(days=7)).isoformat()},
        actor=world.users["inspector"],
    )
    # two 查封 in force on it: one to extend, one to release (seizure.py)
    from anquan.inspections import seizure

    to_extend, to_release = (
        seizure.Seizure.objects.get(
            document=seizure.seize(
                found,
                {"measure": "查封", "items": ["甲类仓库", tank], "period_days": 30},
                actor=world.users["inspector"],
            )
        )
        for tank in ("1号罐", "2号罐")
    )
    checklist = ChecklistTemplate.objects.filter(active=True).order_by("pk").first()
    # an official document of 濂溪区应急管理局 to 江西化工测试有限公司 (issue #13)
    from anquan.documents import services as documents

    from ..documents.conftest import sample

    document = documents.issue(
        "rectification_order",
        documents.unit_of(world.users["inspector"]),
        world.chem_t1,
        sample("rectification_order", world.chem_t1),
        world.users["inspector"],
    )

    # yearly inspection plans of 应急管理局 in 濂溪区: this year's to submit (its proposals accepted), next year's
    # draft whose entry is decided; the API creates last year's
    from anquan.inspectionplans import services as plans

    inspector = world.users["inspector"]
    to_submit = plans.create_plan({"year": year, "inspectors": 6}, actor=inspector)
    plans.accept_all(to_submit, actor=inspector)
    next_year = plans.create_plan({"year": year + 1, "inspectors": 6}, actor=inspector)
    entry = next_year.entries.first() or next_year.entries.create(
        enterprise=world.chem_t1, source="added", band="general", proposed_frequency=1, frequency=1
    )

    ids = {
        "inspection_id": inspection.pk,
        "item_id": first_item.pk,
        "key": "enforcement.procedure",  # a kind of versioned rule data (ADR 0022)
        "document_id": document.pk,
        "inspection_plan_id": to_submit.pk,
        "entry_id": entry.pk,
        "hazard_id": reported.pk,
        "accident_id": accident.pk,
        "bulletin_id": bulletin.pk,
        "job_id": export_job.pk,
        "schedule_id": schedule.pk,
        "task_id": task.pk,
        "enterprise_id": world.chem_t1.pk,
        "installation_id": installation.pk,
        "code": "360402",
        "point_id": point.pk,
        "report_id": to_accept.pk,
        "plan_id": site_plan.pk,
        "table_id": band_table.pk,
        "token_id": spare_token.pk,
        "user_id": world.users["inspector"].pk,  # an account of the county office's scope to change
        "draw_id": drawn.pk,  # drawn: to publish and to recompute
        "position": 1,
        "checklist_id": checklist.pk,
        "review_id": review.pk,
        "seizure_id": to_extend.pk,
    }
    by_operation = {
        "POST /api/v1/hazards/{hazard_id}/listing": {"hazard_id": to_list.pk},
        "POST /api/v1/hazards/{hazard_id}/progress-reports": {"hazard_id": listed.pk},
        "POST /api/v1/hazards/{hazard_id}/delisting": {"hazard_id": to_delist.pk},
        "POST /api/v1/risk-reports/{report_id}/submit": {"report_id": draft.pk},
        "POST /api/v1/risk-reports/{report_id}/return": {"report_id": to_return.pk},
        "DELETE /api/v1/enterprises/{enterprise_id}": {"enterprise_id": spare.pk},
        "DELETE /api/v1/auth/tokens/{token_id}": {"token_id": grid_token.pk},
        "POST /api/v1/random-draws/{draw_id}/picks/{position}/result": {"draw_id": published.pk},
        "POST /api/v1/random-draws/{draw_id}/picks/{position}/inspection": {"draw_id": published.pk},
        "POST /api/v1/inspections/{inspection_id}/on-site-measures": {"inspection_id": found.pk},
        "POST /api/v1/inspections/{inspection_id}/rectification-orders": {"inspection_id": found.pk},
        "POST /api/v1/inspections/{inspection_id}/seizures": {"inspection_id": found.pk},
        "GET /api/v1/inspections/{inspection_id}/seizures": {"inspection_id": found.pk},
        "POST /api/v1/inspections/{inspection_id}/seizures/{seizure_id}/extension": {
            "inspection_id": found.pk
        },
        "POST /api/v1/inspections/{inspection_id}/seizures/{seizure_id}/release": {
            "inspection_id": found.pk,
            "seizure_id": to_release.pk,
        },
        "GET /api/v1/inspections/{inspection_id}/reviews": {"inspection_id": found.pk},
        "GET /api/v1/inspections/{inspection_id}/reviews/{review_id}": {"inspection_id": found.pk},
        "POST /api/v1/inspections/{inspection_id}/reviews/{review_id}/record": {"inspection_id": found.pk},
        "PUT /api/v1/inspection-plans/{inspection_plan_id}/entries/{entry_id}": {
            "inspection_plan_id": next_year.pk
        },
    }
    from .seeds_cases import seed_cases

    case_ids, case_operations = seed_cases(world)  # enforcement cases (issue #13)
    ids |= case_ids
    by_operation |= case_operations
    from .seeds_venues import seed_venues

    venue_ids, venue_operations = seed_venues(world)  # small venues (issue #14)
    ids |= venue_ids
    by_operation |= venue_operations
    from .seeds_tipoffs import seed_tipoffs

    tipoff_ids, tipoff_operations = seed_tipoffs(world)  # public tip-offs (issue #14)
    ids |= tipoff_ids
    by_operation |= tipoff_operations
    from .seeds_grids import seed_grids

    grid_ids, grid_operations, grid_keys = seed_grids(world)  # grids and patrols (issue #14)
    ids |= grid_ids
    by_operation |= grid_operations
    from .seeds_letters import seed_letters

    letter_ids, letter_operations = seed_letters(world)  # reminder and supervision letters (issue #15)
    ids |= letter_ids
    by_operation |= letter_operations
    from .seeds_imports import seed_imports

    import_ids, import_operations = seed_imports(world)  # task-list imports (issue #15, import15)
    ids |= import_ids
    by_operation |= import_operations
    from .seeds_dispatch import seed_dispatch

    dispatch_ids, dispatch_keys = seed_dispatch(world)  # dispatches and reports (issue #15)
    ids |= dispatch_ids
    from .seeds_assessments import seed_assessments

    assessment_ids, assessment_operations, assessment_keys = seed_assessments(world)  # issue #15 (assess15)
    ids |= assessment_ids
    by_operation |= assessment_operations
    from .seeds_campaigns import seed_campaigns

    campaign_ids, campaign_operations, campaign_keys = seed_campaigns(world)  # campaigns (issue #15)
    ids |= campaign_ids
    by_operation |= campaign_operations
    from .seeds_monitoring import seed_monitoring

    monitoring_ids, monitoring_operations = seed_monitoring(
        world
    )  # monitoring points (issue #16, registry16)
    ids |= monitoring_ids
    by_operation |= monitoring_operations
    from .seeds_emergency import seed_emergency

    emergency_ids, emergency_operations = seed_emergency(
        world
    )  # emergency plans and drills (issue #17, plans17)
    ids |= emergency_ids
    by_operation |= emergency_operations
    from .seeds_personnel import seed_personnel

    ids |= seed_personnel(world)  # key-post personnel (issue #17 part 1, personnel17)
    from .seeds_rescue import seed_rescue

    rescue_ids, rescue_operations = seed_rescue(world)  # rescue teams and supply depots (issue #17, rescue17)
    ids |= rescue_ids
    by_operation |= rescue_operations
    keys = {
        "enterprise": uscc,
        "region": "360402",
        "industry": "hazardous_chemicals",
        "department": "应急管理局",
        "point": point.pk,
        "risk_point": point.pk,
        "year": year,
        "now": now,
        "review_item": bad[0].pk,
        **grid_keys,
        **dispatch_keys,
        **assessment_keys,
        **campaign_keys,
    }
    return Seeds(ids=ids, by_operation=by_operation, keys=keys)


def _statement() -> dict:
    return {
        "principal_name": "李四",
        "contact_name": "王五",
        "contact_phone": "13800000009",
        "statement": "液氯储罐区：紧急切断、泄漏报警、每班巡检",
    }


def _plan_image():
    """A 64×48 PNG site plan drawn with Pillow (plans are checked by decoding)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("plan.png", buffer.getvalue(), content_type="image/png")


def _random_draws(world, county):
    """Two certified inspectors of 濂溪区应急管理局 and two draws by the county office: one drawn, one published."""
    from anquan.accounts.models import EnforcementCertificate
    from anquan.accounts.services import create_user
    from anquan.draws import services as draws

    second = create_user(
        actor=None,
        username="inspector_b",
        role="inspector",
        password=PASSWORD,
        region_code="360402",
        department_name="应急管理局",
    )
    today = timezone.localdate()
    for n, user in enumerate([world.users["inspector"], second]):
        EnforcementCertificate.objects.create(
            user=user,
            number=f"赣应急执字第3604{n:04d}号",
            issuing_authority="九江市人民政府",
            valid_from=today - dt.timedelta(days=30),
            valid_until=today + dt.timedelta(days=365),
        )
    made = []
    for title in ("接口抽查（待公示）", "接口抽查（已公示）"):
        draft = draws.create_draft(
            {"title": title, "department": "应急管理局", "enterprise_count": 1, "repeat_days": 0},
            actor=county,
        )
        made.append(draws.draw_now(draft, actor=county, seed=title))
    return made[0], draws.transition(made[1], "publish", actor=county)
