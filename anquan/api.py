"""The HTTP API under /api/v1 (DESIGN: API contract). Errors are {"detail": ...} with a 4xx status."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from anquan.accounts.models import ApiToken
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        record = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if record is None or not record.user.is_active:
            return None
        now = timezone.now()
        if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)  # not a write on every GET
        request.user = record.user
        return record.user


api = NinjaAPI(
    title="Anquan API",
    version="1",
    urls_namespace="api",
    auth=[SessionAuth(), BearerAuth()],
    docs_url="/docs",
)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    detail = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        detail.append(
            {"field": ".".join(loc), "code": error.get("type", "invalid"), "message": error.get("msg", "")}
        )
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationFailed)
def _failed(request, exc):
    return api.create_response(request, {"detail": [e.as_dict() for e in exc.errors]}, status=422)


@api.exception_handler(Conflict)
def _conflict(request, exc):
    return api.create_response(
        request, {"detail": [{"field": "", "code": exc.code, "message": exc.message}]}, status=409
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到"}, status=404)


@api.exception_handler(NotPermitted)
def _forbidden(request, exc):
    return api.create_response(
        request, {"detail": [{"field": "", "code": exc.code, "message": exc.message}]}, status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _register():
    from anquan.accidents.api import router as accidents_router
    from anquan.accidents.api import stats_router as accident_stats_router
    from anquan.accidents.api import tools_router as accident_tools_router
    from anquan.accounts.api import router as accounts_router
    from anquan.accounts.api import token_router
    from anquan.bulletins.api import router as bulletins_router
    from anquan.enterprises.api import router as enterprises_router
    from anquan.hazards.api import router as hazards_router
    from anquan.hazards.api import standards_router, stats_router
    from anquan.orgs.api import router as orgs_router
    from anquan.regions.api import router as regions_router
    from anquan.risk.api import router as risk_router
    from anquan.risk.api import tools_router
    from anquan.risk.map_views import rules_router as risk_map_rules_router
    from anquan.risk.map_views import stats_router as risk_map_stats_router
    from anquan.risk.site_plan_views import api_router as site_plans_router
    from anquan.risk.task_views import api_router as check_tasks_router

    api.add_router("/auth", token_router)
    api.add_router("/users", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/", orgs_router)
    api.add_router("/enterprises", enterprises_router)
    api.add_router("/hazards", hazards_router)
    api.add_router("/judgement-standards", standards_router)
    api.add_router("/stats", stats_router)
    api.add_router("/tools", tools_router)
    api.add_router("/", risk_router)
    api.add_router("/", check_tasks_router)
    api.add_router("/", site_plans_router)
    api.add_router("/tools", accident_tools_router)
    api.add_router("/accidents", accidents_router)
    api.add_router("/bulletins", bulletins_router)
    api.add_router("/stats", accident_stats_router)
    api.add_router("/stats", risk_map_stats_router)
    api.add_router("/tools", risk_map_rules_router)

    from anquan.risk.report_api import router as risk_reports_router

    api.add_router("/", risk_reports_router)


_register()
