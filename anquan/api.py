"""The HTTP API under /api/v1 (DESIGN: API contract). Errors are {"detail": ...} with a 4xx status.

Authentication: a bearer token is tried first and never meets a CSRF check (it is not a cookie a
browser sends on its own); a browser session is tried next and must carry the CSRF token on writes.
Every answer is JSON, a server error included.
"""

import json
import logging
import math

from django.db import DatabaseError, IntegrityError, OperationalError
from django.http import Http404
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from anquan.accounts import tokens
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed, pydantic_message
from anquan.core.middleware import is_contention
from anquan.core.textclean import BadText, clean_tree
from anquan.rules.services import RuleMissing

log = logging.getLogger("anquan.api")


class BadRequest(Exception):
    """A request the API cannot read at all (not JSON, wrong content type, a number out of range)."""

    def __init__(self, status: int, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _refuse_constant(name: str):
    raise BadRequest(422, "not_a_number", f"不接受非数值常量 {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadRequest(422, "out_of_range", "数值超出范围")
    return value


class StrictParser(Parser):
    """JSON bodies only as application/json; no NaN/Infinity; every string cleaned (core.textclean)."""

    def parse_body(self, request):
        if not request.body:
            raise BadRequest(400, "empty_body", "请求体为空，应为JSON")
        if request.content_type != "application/json":
            raise BadRequest(
                415, "unsupported_media_type", "请求体应为JSON（Content-Type: application/json）"
            )
        try:
            data = json.loads(request.body, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise BadRequest(400, "invalid_json", "请求体不是有效的JSON") from None
        try:
            return clean_tree(data)
        except BadText as exc:
            raise BadRequest(422, "invalid_text", str(exc), ".".join(str(p) for p in exc.path)) from None

    def parse_querydict(self, data, list_fields, request):
        try:
            return clean_tree(super().parse_querydict(data, list_fields, request))
        except BadText as exc:
            raise BadRequest(422, "invalid_text", str(exc), ".".join(str(p) for p in exc.path)) from None


class BearerAuth(HttpBearer):
    """`Authorization: Bearer KEY`: valid while not revoked, not expired, its user active (accounts.tokens)."""

    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """A logged-in browser session; its writes must carry the CSRF token. A request with an
    Authorization header, or without a logged-in session, is not a session request at all: it gets
    the 401 that tells a client to (re)authenticate, never a CSRF refusal."""

    def __call__(self, request):
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)  # the CSRF check, then the session's user


api = NinjaAPI(
    title="Anquan API",
    version="1",
    urls_namespace="api",
    auth=[BearerAuth(), BrowserSessionAuth()],  # the token first: a session's CSRF check must not refuse it
    docs_url="/docs",
    parser=StrictParser(),
)


def _field_errors(status: int, code: str, message: str, field: str = "") -> dict:
    if status in (401, 404, 413, 415, 429, 500, 503):
        return {"detail": message}
    return {"detail": [{"field": field, "code": code, "message": message}]}


def _rollback(request):
    """The request's transaction is rolled back (core.middleware.WriteTransactionMiddleware): a refused or
    failed write leaves nothing behind (DESIGN rule 5). GET/HEAD have no request transaction."""
    request._anquan_rollback = True


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return api.create_response(
        request, _field_errors(exc.status, exc.code, exc.message, exc.field), status=exc.status
    )


@api.exception_handler(RawPostDataException)
def _form_read_already(request, exc):
    """A form (multipart or urlencoded) sent to a JSON operation: the form was read at the door
    (CleanInputMiddleware), so the body cannot be read again as JSON. Same refusal as StrictParser's."""
    return _bad_request(
        request, BadRequest(415, "unsupported_media_type", "请求体应为JSON（Content-Type: application/json）")
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    detail = []
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "payload", "query", "path", "form", "params", "filters", "filters_")
        ]
        loc = [part for i, part in enumerate(loc) if i == 0 or part != loc[i - 1]]  # "file.file" → "file"
        detail.append(
            {"field": ".".join(loc), "code": error.get("type", "invalid"), "message": pydantic_message(error)}
        )
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationFailed)
def _failed(request, exc):
    _rollback(request)
    return api.create_response(request, {"detail": [e.as_dict() for e in exc.errors]}, status=422)


@api.exception_handler(RuleMissing)
def _rule_missing(request, exc):
    """A day before the first version of a rule the answer needs (a far-past `on=`): the caller's input, not a
    fault of the server."""
    _rollback(request)
    message = "所选日期早于适用规则的生效日期，没有可依据的规则，请选择更晚的日期"
    return api.create_response(
        request, {"detail": [{"field": "", "code": "rule_missing", "message": message}]}, status=422
    )


@api.exception_handler(Conflict)
def _conflict(request, exc):
    _rollback(request)
    return api.create_response(
        request, {"detail": [{"field": "", "code": exc.code, "message": exc.message}]}, status=409
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    _rollback(request)
    return api.create_response(request, {"detail": "未找到"}, status=404)


@api.exception_handler(NotPermitted)
def _forbidden(request, exc):
    _rollback(request)
    return api.create_response(
        request, {"detail": [{"field": "", "code": exc.code, "message": exc.message}]}, status=403
    )


@api.exception_handler(Throttled)
def _throttled(request, exc):
    """Too many requests from one address to a throttled (public) operation."""
    response = api.create_response(request, {"detail": "请求过于频繁，请稍后再试"}, status=429)
    if exc.wait:
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, BadRequest):  # ninja wraps the parser's refusal in a generic 400
        return _bad_request(request, exc.__cause__)
    if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
        return api.create_response(
            request, _field_errors(400, "invalid_json", "请求体不是有效的JSON"), status=400
        )
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(IntegrityError)
def _integrity(request, exc):
    """A unique key taken by a concurrent request (or a reference that vanished meanwhile)."""
    _rollback(request)
    return api.create_response(
        request,
        {
            "detail": [
                {
                    "field": "",
                    "code": "conflict",
                    "message": "与已有记录冲突（可能刚被他人创建或修改），请刷新后重试",
                }
            ]
        },
        status=409,
    )


@api.exception_handler(OperationalError)
def _operational(request, exc):
    _rollback(request)
    if is_contention(exc):
        response = api.create_response(request, {"detail": "系统繁忙，请稍后重试"}, status=503)
        response["Retry-After"] = "2"
        return response
    return _server_error(request, exc)


@api.exception_handler(DatabaseError)
def _database(request, exc):
    _rollback(request)
    return _server_error(request, exc)


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Anything unforeseen: logged with its traceback, answered as JSON (never the HTML error page)."""
    _rollback(request)
    log.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "服务器内部错误，已记录，请稍后重试"}, status=500)


def _register():
    from anquan.accidents.api import router as accidents_router
    from anquan.accidents.api import stats_router as accident_stats_router
    from anquan.accidents.api import tools_router as accident_tools_router
    from anquan.accounts.api import router as accounts_router
    from anquan.accounts.api import token_router, tokens_router
    from anquan.bulletins.api import router as bulletins_router
    from anquan.checks.api import router as check_tasks_router
    from anquan.enterprises.api import router as enterprises_router
    from anquan.hazards.api import router as hazards_router
    from anquan.hazards.api import standards_router, stats_router
    from anquan.majorhazards.api import router as installations_router
    from anquan.orgs.api import router as orgs_router
    from anquan.regions.api import router as regions_router
    from anquan.riskmap.api import stats_router as risk_map_stats_router
    from anquan.riskpoints.api import router as risk_points_router
    from anquan.standards.api import rules_router as risk_map_rules_router
    from anquan.standards.api import tools_router

    api.add_router("/auth", token_router)
    api.add_router("/auth", tokens_router)
    api.add_router("/users", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/", orgs_router)
    api.add_router("/enterprises", enterprises_router)
    api.add_router("/hazards", hazards_router)
    api.add_router("/judgement-standards", standards_router)
    api.add_router("/stats", stats_router)
    api.add_router("/tools", tools_router)
    api.add_router("/", risk_points_router)
    api.add_router("/", installations_router)
    api.add_router("/", check_tasks_router)
    api.add_router("/tools", accident_tools_router)
    api.add_router("/accidents", accidents_router)
    api.add_router("/bulletins", bulletins_router)
    from anquan.jobs.api import router as jobs_router

    api.add_router("/jobs", jobs_router)
    from anquan.rules.api import router as rules_router

    api.add_router("/rules", rules_router)
    api.add_router("/stats", accident_stats_router)
    api.add_router("/stats", risk_map_stats_router)
    api.add_router("/tools", risk_map_rules_router)

    from anquan.riskreports.api import router as risk_reports_router

    api.add_router("/", risk_reports_router)


def _register_enforcement_and_public():
    """Issue #13 (enforcement) and #14 (grids and the public) routes, after the first wave's."""
    from anquan.draws.api import public_router as public_draws_router
    from anquan.draws.api import router as draws_router

    api.add_router("/", draws_router)
    api.add_router("/public", public_draws_router)
    from anquan.inspectionplans.api import router as inspection_plans_router

    api.add_router("/", inspection_plans_router)

    from anquan.core.api import router as audit_router

    api.add_router("/audit-entries", audit_router)

    from anquan.core.todo_api import router as todo_router
    from anquan.inspections.api import router as inspections_router
    from anquan.inspections.checklist_api import router as checklists_router

    api.add_router("/inspections/checklists", checklists_router)
    api.add_router("/inspections", inspections_router)

    api.add_router("/todo", todo_router)

    from anquan.documents.api import router as documents_router

    api.add_router("/documents", documents_router)
    from anquan.cases.api import router as cases_router

    api.add_router("/", cases_router)
    from anquan.grids.api import public_router as public_grids_router
    from anquan.grids.api import router as grids_router
    from anquan.tipoffs.api import public_router as public_tipoffs_router
    from anquan.tipoffs.api import router as tipoffs_router
    from anquan.venues.api import public_router as public_venues_router
    from anquan.venues.api import router as venues_router

    api.add_router("/", venues_router)
    api.add_router("/public", public_venues_router)
    api.add_router("/", grids_router)
    api.add_router("/public", public_grids_router)
    api.add_router("/", tipoffs_router)
    api.add_router("/public", public_tipoffs_router)
    from anquan.enforcement.api import router as enforcement_router

    api.add_router("/", enforcement_router)


_register()
_register_enforcement_and_public()


def _register_campaigns():
    """Issue #15 routes: campaigns and dispatches, letters, assessments and flags."""
    from anquan.assessments.api import router as assessments_router
    from anquan.campaigns.api import router as campaigns_router
    from anquan.letters.api import router as letters_router

    api.add_router("/", campaigns_router)
    api.add_router("/", letters_router)
    api.add_router("/", assessments_router)
    from anquan.monitoring.api_ingest import router as monitoring_ingest_router

    api.add_router("/monitoring", monitoring_ingest_router)


_register_campaigns()


def _register_monitoring():
    """Issue #16 routes under /monitoring: alarms (alarms16), points (registry16)."""
    from anquan.monitoring.api_alarms import router as alarms_router
    from anquan.monitoring.api_points import router as monitoring_points_router

    api.add_router("/monitoring", alarms_router)
    api.add_router("/monitoring", monitoring_points_router)


_register_monitoring()


def _register_monitoring_stats():
    """Issue #16 (board16): the early-warning statistics."""
    from anquan.monitoring.api_stats import stats_router as monitoring_stats_router

    api.add_router("/stats", monitoring_stats_router)


_register_monitoring_stats()


def _register_emergency():
    """Issue #17 (plans17): emergency plans and their filing, drills, /stats/emergency."""
    from anquan.emergency.api import router as emergency_router

    api.add_router("/", emergency_router)


_register_emergency()


def _register_personnel():
    """Issue #17 part 1 (personnel17): key-post personnel, certificates, trainings, certificate coverage."""
    from anquan.personnel.api import router as personnel_router
    from anquan.personnel.api import stats_router as personnel_stats_router
    from anquan.personnel.api_import import router as personnel_import_router

    api.add_router("/", personnel_import_router)  # issue #17 item 3 (pimport17): before /personnel/{id}
    api.add_router("/", personnel_router)
    api.add_router("/stats", personnel_stats_router)


_register_personnel()


def _register_rescue():
    """Issue #17 (rescue17): rescue teams, supply depots, duty rosters."""
    from anquan.rescue.api import router as rescue_router
    from anquan.rescue.api_depots import router as depots_router

    api.add_router("/", rescue_router)
    api.add_router("/", depots_router)


_register_rescue()
