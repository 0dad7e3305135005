"""Which routes serve each model with a scope: its lists, details, exports and writes, on the pages (ui)
and in the API (api). The matrix (test_matrix.py) runs every route of every model; a model with a
`ScopeSpec` that is neither here nor in ELSEWHERE fails `test_every_scoped_model_is_in_the_matrix`, so a
model declared later is covered as soon as it exists.

A route's `url` takes the world and the record's object. `check` says how a response shows a record:
"marker" (its marker text in the page, JSON or workbook), "id" (an item with its id in the JSON), or
"status" (a file or document: 200 when it may be seen). A child shown only inside its parent, or listed
under it (`/hazards/{id}/events`), is a DETAIL route of the child: 404 when the parent may not be seen.
LIST and EXPORT routes are the top-level ones: they answer 200 and leave out what may not be seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LIST, DETAIL, EXPORT, WRITE = "list", "detail", "export", "write"


@dataclass(frozen=True)
class Route:
    kind: str
    client: str  # "ui" (session) or "api" (bearer token)
    url: Callable
    method: str = "GET"
    body: dict | Callable = field(default_factory=dict)  # or (world, object) → dict
    upload: str | None = None  # multipart field name carrying a PNG
    check: str | Callable = "marker"  # or (text, object) → whether the text shows the object
    # how a page that lists what lies in a region hides a record: "absent" (200 without it) for some users,
    # "404" for others (a region outside their scope) — "either" accepts both
    hidden: str = ""

    def data(self, world, obj) -> dict:
        return self.body(world, obj) if callable(self.body) else self.body

    def __str__(self) -> str:
        return f"{self.client} {self.method} {self.kind}"


def ui(kind, url, **kw) -> Route:
    return Route(kind, "ui", url, **kw)


def api(kind, url, **kw) -> Route:
    return Route(kind, "api", url, **kw)


def _hazard(o):
    return o.hazard_id


# model label → its routes. Writes send a body the endpoint accepts, so that an out-of-scope answer is the
# scope's 404 and not a validation error given before the scope is looked at.
ROUTES: dict[str, list[Route]] = {
    "enterprises.Enterprise": [
        ui(LIST, lambda w, o: "/enterprises/"),
        api(LIST, lambda w, o: "/api/v1/enterprises?limit=500"),
        ui(EXPORT, lambda w, o: "/enterprises/export.xlsx"),
        api(EXPORT, lambda w, o: "/api/v1/enterprises/export"),
        ui(DETAIL, lambda w, o: f"/enterprises/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/enterprises/{o.pk}"),
        api(WRITE, lambda w, o: f"/api/v1/enterprises/{o.pk}", method="PATCH", body={"employee_count": 999}),
        ui(WRITE, lambda w, o: f"/enterprises/{o.pk}/edit/", method="POST", body={"employee_count": "5"}),
    ],
    "hazards.Hazard": [
        ui(LIST, lambda w, o: "/hazards/"),
        api(LIST, lambda w, o: "/api/v1/hazards?limit=500"),
        ui(EXPORT, lambda w, o: "/hazards/export.xlsx"),
        api(EXPORT, lambda w, o: "/api/v1/hazards/export"),
        ui(DETAIL, lambda w, o: f"/hazards/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/hazards/{o.pk}"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/hazards/{o.pk}/transitions",
            method="POST",
            body={"action": "cancel", "reason": "矩阵"},
        ),
        ui(
            WRITE,
            lambda w, o: f"/hazards/{o.pk}/act/",
            method="POST",
            body={"action": "cancel", "reason": "矩阵"},
        ),
    ],
    "hazards.HazardEvent": [
        api(DETAIL, lambda w, o: f"/api/v1/hazards/{o.hazard_id}/events?limit=500"),
        ui(DETAIL, lambda w, o: f"/hazards/{o.hazard_id}/"),
    ],
    "hazards.Attachment": [
        ui(DETAIL, lambda w, o: f"/hazards/attachments/{o.pk}/", check="status"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/hazards/{o.hazard_id}/attachments",
            method="POST",
            body={"stage": "report"},
            upload="file",
        ),
    ],
    "hazards.Listing": [
        api(DETAIL, lambda w, o: f"/api/v1/hazards/{o.hazard_id}"),
        ui(DETAIL, lambda w, o: f"/hazards/{o.hazard_id}/"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/hazards/{o.hazard_id}/progress-reports",
            method="POST",
            body={"text": "矩阵进展"},
        ),
        api(
            WRITE,
            lambda w, o: f"/api/v1/hazards/{o.hazard_id}/delisting",
            method="POST",
            body={"text": "矩阵"},
        ),
    ],
    "hazards.ProgressReport": [
        ui(DETAIL, lambda w, o: f"/hazards/{o.listing.hazard_id}/"),
    ],
    "accidents.Accident": [
        ui(LIST, lambda w, o: "/accidents/", check=lambda text, o: f'href="/accidents/{o.pk}/"' in text),
        api(LIST, lambda w, o: "/api/v1/accidents?limit=500"),
        ui(DETAIL, lambda w, o: f"/accidents/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/accidents/{o.pk}"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/accidents/{o.pk}/transitions",
            method="POST",
            body={
                "action": "start_investigation",
                "team": "矩阵调查组",
                "lead_authority": "濂溪区应急管理局",
            },
        ),
        ui(
            WRITE,
            lambda w, o: f"/accidents/{o.pk}/act/",
            method="POST",
            body={
                "action": "start_investigation",
                "team": "矩阵调查组",
                "lead_authority": "濂溪区应急管理局",
            },
        ),
    ],
    "enterprises.EnterpriseEvent": [
        api(DETAIL, lambda w, o: f"/api/v1/enterprises/{o.enterprise_id}/events?limit=500"),
        ui(DETAIL, lambda w, o: f"/enterprises/{o.enterprise_id}/"),
    ],
    "accidents.AccidentEvent": [
        api(DETAIL, lambda w, o: f"/api/v1/accidents/{o.accident_id}/events?limit=500"),
        ui(DETAIL, lambda w, o: f"/accidents/{o.accident_id}/"),
    ],
    "accidents.AccidentReport": [
        api(
            DETAIL,
            lambda w, o: f"/api/v1/accidents/{o.accident_id}",
            check=lambda text, o: '"to_level": "county"' in text,
        ),
    ],
    "accidents.AccidentPhoto": [
        ui(DETAIL, lambda w, o: f"/accidents/photos/{o.pk}/", check="status"),
        api(WRITE, lambda w, o: f"/api/v1/accidents/{o.accident_id}/photos", method="POST", upload="file"),
        ui(WRITE, lambda w, o: f"/accidents/{o.accident_id}/photos/", method="POST", upload="photos"),
    ],
    "riskpoints.RiskPoint": [
        ui(LIST, lambda w, o: "/risk/"),
        api(LIST, lambda w, o: "/api/v1/risk-points?limit=500"),
        ui(DETAIL, lambda w, o: f"/risk/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/risk-points/{o.pk}"),
        ui(EXPORT, lambda w, o: f"/risk/{o.pk}/card.docx", check="status"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/risk-points/{o.pk}/assessments",
            method="POST",
            body={"method": "LS", "l": "2", "s": "3"},
        ),
        ui(
            WRITE,
            lambda w, o: f"/risk/{o.pk}/assess/",
            method="POST",
            body={"method": "LS", "l": "2", "s": "3"},
        ),
    ],
    "riskpoints.RiskAssessment": [
        api(DETAIL, lambda w, o: f"/api/v1/risk-points/{o.point_id}/assessments?limit=500", check="id"),
    ],
    "riskpoints.ControlMeasure": [
        ui(DETAIL, lambda w, o: f"/risk/{o.point_id}/"),
        ui(
            WRITE,
            lambda w, o: f"/risk/{o.point_id}/measures/",
            method="POST",
            body={"kind": "engineering", "tier": "company", "description": "矩阵措施"},
        ),
    ],
    "riskpoints.RiskPointPhoto": [
        ui(DETAIL, lambda w, o: f"/risk/photos/{o.pk}/", check="status"),
        api(WRITE, lambda w, o: f"/api/v1/risk-points/{o.point_id}/photos", method="POST", upload="file"),
        ui(WRITE, lambda w, o: f"/risk/{o.point_id}/photos/", method="POST", upload="photos"),
    ],
    "majorhazards.MajorHazardInstallation": [
        ui(LIST, lambda w, o: "/risk/installations/"),
        api(LIST, lambda w, o: "/api/v1/major-hazard-installations?limit=500"),
        ui(DETAIL, lambda w, o: f"/risk/installations/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/major-hazard-installations/{o.pk}"),
        ui(WRITE, lambda w, o: f"/risk/installations/{o.pk}/edit/", method="POST", body={"name": "矩阵单元"}),
    ],
    "majorhazards.InstallationSubstance": [
        api(DETAIL, lambda w, o: f"/api/v1/major-hazard-installations/{o.installation_id}"),
    ],
    "checks.CheckSchedule": [
        api(DETAIL, lambda w, o: f"/api/v1/risk-points/{o.point_id}/check-schedules?limit=500"),
        ui(DETAIL, lambda w, o: f"/risk/{o.point_id}/schedules/"),
        api(DETAIL, lambda w, o: f"/api/v1/check-schedules/{o.pk}"),
        api(WRITE, lambda w, o: f"/api/v1/check-schedules/{o.pk}", method="PATCH", body={"post": "矩阵岗"}),
        api(
            WRITE,
            lambda w, o: f"/api/v1/check-schedules/{o.pk}/transitions",
            method="POST",
            body={"action": "deactivate"},
        ),
        ui(
            WRITE,
            lambda w, o: f"/risk/schedules/{o.pk}/edit/",
            method="POST",
            body={"frequency": "week", "post": "矩阵岗", "content": "矩阵"},
        ),
        ui(WRITE, lambda w, o: f"/risk/schedules/{o.pk}/deactivate/", method="POST"),
    ],
    "checks.CheckTaskEvent": [
        api(DETAIL, lambda w, o: f"/api/v1/check-tasks/{o.task_id}/events?limit=500"),
    ],
    "checks.CheckTask": [
        api(LIST, lambda w, o: "/api/v1/check-tasks?limit=500", check="id"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/check-tasks/{o.pk}/complete",
            method="POST",
            body={"outcome": "normal"},
        ),
        ui(WRITE, lambda w, o: f"/risk/tasks/{o.pk}/complete/", method="POST", body={"outcome": "normal"}),
    ],
    "riskpoints.SitePlan": [
        ui(LIST, lambda w, o: "/risk/plans/"),
        api(LIST, lambda w, o: "/api/v1/site-plans?limit=500"),
        ui(DETAIL, lambda w, o: f"/risk/plans/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/site-plans/{o.pk}"),
        api(DETAIL, lambda w, o: f"/api/v1/site-plans/{o.pk}/image", check="status"),
        ui(WRITE, lambda w, o: f"/risk/plans/{o.pk}/delete/", method="POST"),
    ],
    "riskpoints.PointPlacement": [
        api(DETAIL, lambda w, o: f"/api/v1/site-plans/{o.plan_id}"),
        ui(DETAIL, lambda w, o: f"/risk/plans/{o.plan_id}/"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/site-plans/{o.plan_id}/placements",
            method="PUT",
            body=lambda w, o: {"placements": [{"point": o.point_id, "x": 0.25, "y": 0.75}]},
        ),
    ],
    "riskreports.RiskReport": [
        ui(
            LIST, lambda w, o: "/risk/reports/", check=lambda text, o: f'href="/risk/reports/{o.pk}/"' in text
        ),
        api(LIST, lambda w, o: "/api/v1/risk-reports?limit=500", check="id"),
        ui(DETAIL, lambda w, o: f"/risk/reports/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/risk-reports/{o.pk}"),
        api(WRITE, lambda w, o: f"/api/v1/risk-reports/{o.pk}/submit", method="POST", body={}),
        api(
            WRITE, lambda w, o: f"/api/v1/risk-reports/{o.pk}/return", method="POST", body={"reason": "矩阵"}
        ),
        ui(WRITE, lambda w, o: f"/risk/reports/{o.pk}/act/", method="POST", body={"action": "submit"}),
    ],
    "riskreports.RiskReportEvent": [
        api(DETAIL, lambda w, o: f"/api/v1/risk-reports/{o.report_id}"),
        ui(DETAIL, lambda w, o: f"/risk/reports/{o.report_id}/"),
    ],
}

ROUTES["documents.Document"] = [
    ui(LIST, lambda w, o: "/documents/"),
    api(LIST, lambda w, o: "/api/v1/documents?limit=500"),
    ui(EXPORT, lambda w, o: "/documents/export.xlsx"),
    ui(DETAIL, lambda w, o: f"/documents/{o.pk}/"),
    api(DETAIL, lambda w, o: f"/api/v1/documents/{o.pk}"),
    ui(DETAIL, lambda w, o: f"/documents/{o.pk}/download.docx", check="status"),
    api(DETAIL, lambda w, o: f"/api/v1/documents/{o.pk}/download?format=docx", check="status"),
    api(WRITE, lambda w, o: f"/api/v1/documents/{o.pk}/void", method="POST", body={"reason": "矩阵"}),
    ui(WRITE, lambda w, o: f"/documents/{o.pk}/void/", method="POST", body={"reason": "矩阵"}),
]
ROUTES["documents.DocumentEvent"] = [ui(DETAIL, lambda w, o: f"/documents/{o.document_id}/")]


def _inspection_link(text, o):
    return f'href="/inspections/{o.pk}/"' in text


ROUTES["inspections.Inspection"] = [
    ui(LIST, lambda w, o: "/inspections/", check=_inspection_link),
    api(LIST, lambda w, o: "/api/v1/inspections?limit=500", check="id"),
    ui(EXPORT, lambda w, o: "/inspections/export.xlsx"),
    ui(DETAIL, lambda w, o: f"/inspections/{o.pk}/"),
    ui(DETAIL, lambda w, o: f"/inspections/{o.pk}/record/", check="status"),
    api(DETAIL, lambda w, o: f"/api/v1/inspections/{o.pk}"),
    api(
        WRITE,
        lambda w, o: f"/api/v1/inspections/{o.pk}/transitions",
        method="POST",
        body={"action": "cancel", "reason": "矩阵"},
    ),
    api(WRITE, lambda w, o: f"/api/v1/inspections/{o.pk}/signature", method="POST", upload="file"),
    ui(
        WRITE,
        lambda w, o: f"/inspections/{o.pk}/act/",
        method="POST",
        body={"action": "cancel", "reason": "矩阵"},
    ),
]
ROUTES["inspections.InspectionItem"] = [
    api(DETAIL, lambda w, o: f"/api/v1/inspections/{o.inspection_id}/items?limit=500", check="id"),
    ui(DETAIL, lambda w, o: f"/inspections/{o.inspection_id}/"),
    api(
        WRITE,
        lambda w, o: f"/api/v1/inspections/{o.inspection_id}/items",
        method="POST",
        body=lambda w, o: {"item": o.pk, "result": "compliant"},
    ),
    ui(
        WRITE,
        lambda w, o: f"/inspections/{o.inspection_id}/items/{o.pk}/",
        method="POST",
        body={"result": "compliant"},
    ),
]
ROUTES["inspections.InspectionPhoto"] = [
    ui(DETAIL, lambda w, o: f"/inspections/photos/{o.pk}/", check="status"),
    api(
        WRITE,
        lambda w, o: f"/api/v1/inspections/{o.item.inspection_id}/items/{o.item_id}/photos",
        method="POST",
        upload="file",
    ),
]
ROUTES["inspections.InspectionSignature"] = [
    ui(DETAIL, lambda w, o: f"/inspections/signatures/{o.pk}/", check="status"),
]
ROUTES["inspections.InspectionEvent"] = [
    ui(DETAIL, lambda w, o: f"/inspections/{o.inspection_id}/"),
]
_CASE_WRITE = {"action": "assign", "investigators": ["矩阵"]}
ROUTES |= {  # enforcement cases (issue #13): the case, and what is shown on it
    "cases.EnforcementCase": [
        ui(LIST, lambda w, o: "/cases/", check=lambda text, o: f'href="/cases/{o.pk}/"' in text),
        api(LIST, lambda w, o: "/api/v1/enforcement-cases?limit=500", check="id"),
        ui(DETAIL, lambda w, o: f"/cases/{o.pk}/"),
        api(DETAIL, lambda w, o: f"/api/v1/enforcement-cases/{o.pk}"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/enforcement-cases/{o.pk}/transitions",
            method="POST",
            body=_CASE_WRITE,
        ),
        ui(WRITE, lambda w, o: f"/cases/{o.pk}/act/", method="POST", body=_CASE_WRITE),
    ],
    "cases.CaseEvent": [ui(DETAIL, lambda w, o: f"/cases/{o.case_id}/")],
    "cases.CaseExtension": [ui(DETAIL, lambda w, o: f"/cases/{o.case_id}/")],
    "cases.CasePayment": [
        ui(DETAIL, lambda w, o: f"/cases/{o.case_id}/"),
        api(DETAIL, lambda w, o: f"/api/v1/enforcement-cases/{o.case_id}"),
    ],
    "cases.Referral": [
        ui(DETAIL, lambda w, o: f"/cases/{o.case_id}/"),
        api(DETAIL, lambda w, o: f"/api/v1/enforcement-cases/{o.case_id}"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/enforcement-referrals/{o.pk}/transitions",
            method="POST",
            body={"action": "decline", "reason": "矩阵"},
        ),
    ],
    "cases.CreditListing": [
        api(LIST, lambda w, o: "/api/v1/credit-listings?limit=500", check="id"),
        ui(DETAIL, lambda w, o: f"/cases/{o.case_id}/"),
        api(
            WRITE,
            lambda w, o: f"/api/v1/credit-listings/{o.pk}/transitions",
            method="POST",
            body={"action": "remove", "reason": "矩阵"},
        ),
    ],
}

ROUTES["regions.Grid"] = [
    # the region's page lists its grids: 404 outside the user's region, the grid left out for an enterprise
    ui(DETAIL, lambda w, o: f"/regions/{o.region.code}/", hidden="either"),
]


# Models with a scope that hold no enterprise's records: their scope is tested where they live.
# double-random draws (issue #13): scoped by the issuing unit, a department in a region
def _draw_id(o):
    for path in ("draw_id", "pick.draw_id"):
        value = o
        for part in path.split("."):
            value = getattr(value, part, None)
        if value is not None:
            return value
    return o.pk


def _draw_detail_routes():
    return [
        ui(DETAIL, lambda w, o: f"/draws/{_draw_id(o)}/"),
        api(DETAIL, lambda w, o: f"/api/v1/random-draws/{_draw_id(o)}"),
    ]


ROUTES.update(
    {
        "draws.RandomDraw": [
            ui(LIST, lambda w, o: "/draws/"),
            api(LIST, lambda w, o: "/api/v1/random-draws?limit=500"),
            *_draw_detail_routes(),
            api(
                WRITE,
                lambda w, o: f"/api/v1/random-draws/{o.pk}/transitions",
                method="POST",
                body={"action": "publish"},
            ),
            ui(WRITE, lambda w, o: f"/draws/{o.pk}/act/", method="POST", body={"action": "publish"}),
        ],
        "draws.RandomDrawEvent": _draw_detail_routes(),
        "draws.DrawPick": [
            *_draw_detail_routes(),
            api(
                WRITE,
                lambda w, o: f"/api/v1/random-draws/{o.draw_id}/picks/{o.position}/result",
                method="POST",
                body={"result": "no_problem"},
            ),
        ],
        "draws.DrawAssignment": _draw_detail_routes(),
        "draws.DeclaredLink": [ui(LIST, lambda w, o: "/draws/links/")],
        "accounts.EnforcementCertificate": [
            ui(LIST, lambda w, o: "/users/certificates/"),
            ui(WRITE, lambda w, o: f"/users/certificates/{o.pk}/", method="POST", body={"number": ""}),
        ],
    }
)

ELSEWHERE = {
    "accounts.User": "tests/test_accounts.py",
    "accounts.ApiToken": "tests/test_tokens.py",
    "bulletins.Bulletin": "tests/bulletins",
    "jobs.Job": "tests/test_background_jobs.py",
    "core.AuditEntry": "tests/test_audit_scope.py",
    "accidents.PriorTotals": "tests/accidents/test_like_for_like.py",  # test_last_years_totals_are_read_only_in_scope
    # a unit's yearly plan, its key-enterprise entries and events: scoped by the unit's region and department
    # (test_plans_are_seen_through_the_units_region_and_department); the entries stay with the plan
    "inspectionplans.InspectionPlan": "tests/inspectionplans/test_plans.py",
    "inspectionplans.PlanEntry": "tests/inspectionplans/test_plans.py",
    "inspectionplans.PlanEvent": "tests/inspectionplans/test_plans.py",
    # the rectification review (复查), its ordered items, photos and events: through the inspection's enterprise;
    # other units get 404 on its list and its record action (test_an_order_creates_its_review_which_records_…)
    "inspections.RectificationReview": "tests/inspections/test_reviews.py",
    "inspections.ReviewItem": "tests/inspections/test_reviews.py",
    "inspections.ReviewPhoto": "tests/inspections/test_reviews.py",
    "inspections.ReviewEvent": "tests/inspections/test_reviews.py",
    # public tip-offs (issue #14): by the tip-off's region and, once routed, its department; photos, events and
    # internal notes only inside it (test_pages_of_a_tip_off_answer_404_outside_its_region_and_department)
    "tipoffs.TipOff": "tests/tipoffs/test_live_http.py",
    "tipoffs.TipOffPhoto": "tests/tipoffs/test_live_http.py",
    "tipoffs.TipOffEvent": "tests/tipoffs/test_live_http.py",
    "tipoffs.TipOffNote": "tests/tipoffs/test_live_http.py",
    # emergency plans and drills (issue #17, plans17): by the plan's region, the department it is filed with and its
    # enterprise; documents, events, drills and drill files through the plan (tests/emergency/test_scope.py)
    "emergency.EmergencyPlan": "tests/emergency/test_scope.py",
    "emergency.PlanDocument": "tests/emergency/test_scope.py",
    "emergency.PlanEvent": "tests/emergency/test_scope.py",
    "emergency.Drill": "tests/emergency/test_scope.py",
    "emergency.DrillFile": "tests/emergency/test_scope.py",
    # the statistics' roll-up cells (issue #18, ADR 0051): read only by the statistics through restrict(); every
    # persona's figures from the cells equal the live aggregation's of its own scope
    # (test_random_writes_keep_the_rollup_equal_to_a_full_recount)
    "hazards.HazardRollup": "tests/hazards/test_rollup.py",
    "hazards.HazardCountyRollup": "tests/hazards/test_rollup.py",
    # monitoring alarms (issue #16): by the enterprise's region, department and the enterprise itself; events and
    # photos only inside the alarm (test_out_of_scope_or_without_monitoring_is_404, test_the_wrong_role_is_refused_…)
    "monitoring.Alarm": "tests/monitoring/test_alarm_api.py",
    "monitoring.AlarmEvent": "tests/monitoring/test_alarm_api.py",
    "monitoring.AlarmPhoto": "tests/monitoring/test_alarm_workflow.py",
    # monitoring (issue #16): points by the enterprise's region and department; another county's office gets 404
    "monitoring.MonitoringPoint": "tests/monitoring/test_points.py",
    "monitoring.Gateway": "tests/monitoring/test_gateways.py",
    "monitoring.MaintenanceWindow": "tests/monitoring/test_maintenance.py",
    "monitoring.PointLive": "tests/monitoring/test_board.py",  # the board of a region out of scope: 404
    "monitoring.Reading": "tests/monitoring/test_trend.py",  # a point's trend out of scope: 404
    "monitoring.ReadingRollup": "tests/monitoring/test_trend.py",
    "monitoring.IngestRejection": "tests/monitoring/test_ingest_http.py",  # another county's gateway page
    # grids and patrols (issue #14): by the grid's region (test_the_grid_api_creates_patches_and_keeps_to_scope,
    # test_others_cannot_patrol_and_another_county_sees_nothing); plans, visits, events and allowances inside it
    "grids.PatrolPlan": "tests/grids/test_patrols.py",
    "grids.PatrolTask": "tests/grids/test_patrols.py",
    "grids.PatrolTaskEvent": "tests/grids/test_patrols.py",
    "grids.PatrolVisit": "tests/grids/test_patrols.py",
    "grids.Allowance": "tests/grids/test_grids.py",
    # small venues and their checks (issue #14): by the venue's region
    # (test_other_county_sees_404_and_own_county_sees_the_venue, test_the_sheet_holds_only_the_users_scope)
    "venues.SmallVenue": "tests/venues/test_registry.py",
    "venues.VenueCheck": "tests/venues/test_registry.py",
    # 查封、扣押 through the inspection's enterprise: another county's office gets 404 on every step
    "inspections.Seizure": "tests/inspections/test_seizure.py",
    # campaigns (issue #15): a task by its responsible unit's region and department
    # (test_a_task_is_seen_by_its_units_region_and_department); dispatches, reports and reminders through it
    "campaigns.Campaign": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.CampaignEvent": "tests/campaigns/test_scope.py",
    "campaigns.Stage": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.Battle": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.Task": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.TaskEvent": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.TaskUnit": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.Target": "tests/campaigns/test_out_of_scope.py",  # every page and API route
    "campaigns.Dispatch": "tests/campaigns/test_dispatch_scope.py",
    "campaigns.DispatchEvent": "tests/campaigns/test_dispatch_scope.py",
    "campaigns.TaskReport": "tests/campaigns/test_dispatch_scope.py",
    "campaigns.ReportAttachment": "tests/campaigns/test_dispatch_scope.py",
    "campaigns.Reminder": "tests/campaigns/test_dispatch_scope.py",
    "campaigns.TaskImport": "tests/campaigns/test_import_http.py",  # another county: 404 on every route
    "campaigns.UnitAlias": "tests/campaigns/test_import_text.py",  # a mapping is its office's and those below
    # letters (issue #15): by the recipient's region and department; another county's pages and API answer 404
    "letters.Letter": "tests/letters/test_life.py",
    "letters.LetterEvent": "tests/letters/test_api_live.py",
    "letters.LetterAttachment": "tests/letters/test_api_live.py",
    # assessments and flags (issue #15, assess15): an assessment lies in the issuing office's region, its scores,
    # manual entries and evidence with it; a flag in its holder's region (another county: 404 / not listed)
    "assessments.Assessment": "tests/assessments/test_pages_api.py",
    "assessments.AssessmentEvent": "tests/assessments/test_pages_api.py",
    "assessments.Score": "tests/assessments/test_pages_api.py",
    "assessments.ManualEntry": "tests/assessments/test_pages_api.py",
    "assessments.Evidence": "tests/assessments/test_pages_api.py",
    "assessments.Flag": "tests/assessments/test_pages_api.py",
    # key-post personnel (issue #17 part 1, personnel17): through the person's enterprise; another county's
    # person, certificate and training answer 404 on pages and API, and lists leave them out
    "personnel.Person": "tests/personnel/test_scope.py",
    "personnel.Certificate": "tests/personnel/test_scope.py",
    "personnel.Training": "tests/personnel/test_scope.py",
    # rescue forces (issue #17, rescue17): by the owner unit's region (and the owner enterprise's users); members,
    # stock rows and movements inside their team or depot; another county gets 404 on every page and API route
    # (test_another_county_gets_404_everywhere, test_the_enterprise_sees_its_own_team_only)
    "rescue.RescueTeam": "tests/rescue/test_scope.py",
    "rescue.TeamMember": "tests/rescue/test_scope.py",
    "rescue.SupplyDepot": "tests/rescue/test_scope.py",
    "rescue.StockItem": "tests/rescue/test_scope.py",
    "rescue.StockMovement": "tests/rescue/test_scope.py",
    "rescue.DutyRoster": "tests/rescue/test_scope.py",
}
