"""Demo data of emergency plans and drills (issue #17): 江西化工集团九江有限公司's plans at each filing stage — its
comprehensive plan filed and drilled, a special plan submitted and waiting for 濂溪区应急管理局, an on-site disposal
plan returned with reasons, one filed by lapse of time, and its on-site plan for the tank farm never drilled since
publication eight months ago (so the enterprise is overdue for a drill) — and 濂溪区's own plan, drilled last year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.emergency import actions
from anquan.emergency.models import EmergencyPlan
from anquan.emergency.services import add_months


def _plan(actor, kind: str, title: str, published: dt.date, **raw) -> EmergencyPlan:
    return actions.create_plan(
        {"kind": kind, "title": title, "published_on": published.isoformat(), **raw}, actor=actor
    )


def _drill(plan: EmergencyPlan, actor, held_on: dt.date, kind: str, scenario: str) -> None:
    actions.record_drill(
        plan,
        {
            "held_on": held_on.isoformat(),
            "kind": kind,
            "organiser": plan.owner_label,
            "participant_count": 24,
            "participants": "生产部、安全环保部、储运部、企业专职消防队",
            "scenario": scenario,
            "evaluation": "响应及时，通讯畅通；警戒疏散用时偏长",
            "improvements": "增设疏散指示标志，每季度开展一次岗位应急处置卡培训",
        },
        actor=actor,
    )


def build_emergency() -> None:
    manager = User.objects.filter(username="enterprise").first()
    department = User.objects.filter(username="lianxi_yjj").first()
    county = User.objects.filter(username="lianxi").first()
    if manager is None or department is None or county is None:
        return
    today = timezone.localdate()
    now = timezone.now()

    filed = _plan(
        manager, "comprehensive", "江西化工集团九江有限公司生产安全事故综合应急预案", add_months(today, -14)
    )
    filed = actions.transition(filed, "submit", actor=manager, now=now - dt.timedelta(days=400))
    actions.transition(filed, "file", actor=department, record_number="濂应急预备〔2025〕017号")
    _drill(filed, manager, add_months(today, -2), "full_scale", "液氯储罐法兰泄漏，启动综合应急预案")

    waiting = _plan(manager, "special", "危险化学品泄漏专项应急预案", add_months(today, -1))
    actions.transition(waiting, "submit", actor=manager)

    returned = _plan(manager, "on_site", "氯化反应岗位现场处置方案", add_months(today, -2))
    returned = actions.transition(returned, "submit", actor=manager)
    actions.transition(
        returned, "return", actor=department, reasons="缺少风险评估结果和应急资源调查清单，请补充后重新提交"
    )

    lapsed = _plan(manager, "special", "火灾爆炸专项应急预案", add_months(today, -6))
    actions.transition(lapsed, "submit", actor=manager, now=now - dt.timedelta(days=40))
    actions.lapse_due(today, now)  # the department did not check it within 5 working days
    _drill(
        EmergencyPlan.objects.get(pk=lapsed.pk), manager, add_months(today, -1), "tabletop", "罐区雷击起火"
    )

    _plan(manager, "on_site", "储罐区现场处置方案", add_months(today, -8))  # never drilled: overdue

    government = _plan(
        county, "comprehensive", "濂溪区生产安全事故应急预案", add_months(today, -20), filed_with="emergency"
    )
    _drill(government, county, add_months(today, -11), "functional", "化工园区危险化学品泄漏扩散")
