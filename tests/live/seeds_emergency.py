"""Emergency plans and drills for the every-operation test (issue #17, plans17): 江西化工's plans — a draft to edit and
attach a document to, one to revise, one submitted for the department to file — and a drill."""

from __future__ import annotations

import datetime as dt

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_emergency(world) -> tuple[dict, dict]:
    from anquan.emergency import actions

    manager = world.users["enterprise_manager"]

    def plan(title: str):
        return actions.create_plan(
            {"kind": "comprehensive", "title": title, "published_on": dt.date(2026, 1, 5).isoformat()},
            actor=manager,
        )

    draft, to_revise, to_file = (
        plan("综合应急预案（草稿）"),
        plan("综合应急预案（待修订）"),
        plan("综合应急预案（待备案）"),
    )
    actions.transition(to_file, "submit", actor=manager)
    drill = actions.record_drill(
        draft,
        {
            "held_on": "2026-01-20",
            "kind": "tabletop",
            "organiser": "安全部",
            "participant_count": 8,
            "scenario": "泄漏",
        },
        actor=manager,
    )
    by_operation = {
        "PATCH /api/v1/emergency-plans/{plan_id}": {"plan_id": draft.pk},
        "GET /api/v1/emergency-plans/{plan_id}": {"plan_id": draft.pk},
        "POST /api/v1/emergency-plans/{plan_id}/files": {"plan_id": draft.pk},
        "POST /api/v1/emergency-plans/{plan_id}/revisions": {"plan_id": to_revise.pk},
        "GET /api/v1/emergency-plans/{plan_id}/transitions": {"plan_id": to_file.pk},
        "POST /api/v1/emergency-plans/{plan_id}/transitions": {"plan_id": to_file.pk},
    }
    return {"drill_id": drill.pk, "emergency_plan_id": draft.pk}, by_operation


OVERRIDES = {
    "PATCH /api/v1/emergency-plans/{plan_id}": {
        "persona": "enterprise_manager",
        "body": {"title": "综合应急预案"},
    },
    "POST /api/v1/emergency-plans/{plan_id}/files": {
        "persona": "enterprise_manager",
        "body": {"file": ("预案.pdf", PDF, "application/pdf")},
    },
    "POST /api/v1/emergency-plans/{plan_id}/revisions": {"persona": "enterprise_manager"},
    "POST /api/v1/emergency-plans/{plan_id}/transitions": {
        "persona": "emergency_supervisor",
        "body": {"action": "file", "record_number": "濂应急备〔2026〕1号"},
    },
    "POST /api/v1/drills": {
        "persona": "enterprise_manager",
        "body": lambda seeds: {"plan": seeds.ids["emergency_plan_id"]},
    },
    "POST /api/v1/drills/{drill_id}/files": {"persona": "enterprise_manager"},
}
