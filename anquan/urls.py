from django.urls import include, path

from .accounts.urls import user_patterns
from .api import api
from .core.offline import service_worker
from .overview.views import home

urlpatterns = [
    path("api/v1/", api.urls),
    path("sw.js", service_worker, name="service_worker"),
    path("", home, name="home"),
    path("", include("anquan.core.urls")),
    path("", include("anquan.overview.urls")),
    path("", include("anquan.accounts.urls")),
    path("users/", include((user_patterns, "accounts"))),
    path("regions/", include("anquan.regions.urls")),
    path("orgs/", include("anquan.orgs.urls")),
    path("enterprises/", include("anquan.enterprises.urls")),
    path("hazards/", include("anquan.hazards.urls")),
    path("bulletins/", include("anquan.bulletins.urls")),
    path("accidents/", include("anquan.accidents.urls")),
    path("risk/", include("anquan.riskpoints.urls")),
    path("risk/", include("anquan.majorhazards.urls")),
    path("risk/", include("anquan.checks.urls")),
    path("risk/", include("anquan.riskreports.urls")),
    path("risk/", include("anquan.riskmap.urls")),
    path("jobs/", include("anquan.jobs.urls")),
    path("documents/", include("anquan.documents.urls")),
    path("", include("anquan.draws.urls")),  # /draws/… and the public /public/random-draws/
    path("rules/", include("anquan.rules.urls")),
    path("inspections/", include("anquan.inspections.urls")),
    path("plans/", include("anquan.inspectionplans.urls")),
    path("cases/", include("anquan.cases.urls")),
    path("", include("anquan.venues.urls")),  # /venues/… and the public page a QR code opens
    path("", include("anquan.grids.urls")),  # /grids/… and /patrols/…
    path("", include("anquan.tipoffs.urls")),  # /tip-offs/… and the public /public/tip-offs/
    path("", include("anquan.campaigns.urls")),  # /campaigns/… and /dispatches/…
    path("", include("anquan.letters.urls")),  # /letters/…
    path("", include("anquan.assessments.urls")),  # /assessments/… and /flags/…
    path("", include("anquan.enforcement.urls")),  # /enforcement/… and the public /public/enforcement/
    path("", include("anquan.emergency.urls")),  # issue #17 (plans17): /emergency/… plans, drills, overview
    path(
        "monitoring/", include("anquan.monitoring.urls")
    ),  # issue #16: alarms, points, gateways, maintenance, …
    path(
        "personnel/", include("anquan.personnel.urls")
    ),  # issue #17 part 1 (personnel17): key-post personnel
    path(
        "rescue/", include("anquan.rescue.urls")
    ),  # issue #17 (rescue17): teams, depots, rosters, the search
]

handler404 = "anquan.core.errorpages.not_found"
handler500 = "anquan.core.errorpages.server_error"
