"""Two enforcement cases of 濂溪区应急管理局 against 江西化工集团九江有限公司 (issue #13), walked through the same
services the pages and the API call:

- 〔2026〕1号, opened on 2026-01-31 under MEM Order 15 (30 days): decided (fine over 50 000 yuan, so discussed
  collectively), delivered, paid late — in execution with its surcharge shown;
- a case opened 85 days ago under the version from 2026-02-01 (90 days, not verified): still in 调查取证, five
  days before its limit, so it is in the investigators' to-do as a warning.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.cases import actions, services
from anquan.cases.models import EnforcementCase
from anquan.enterprises.models import Enterprise

CHEM = "江西化工集团九江有限公司"


def build_cases() -> int:
    """Made once (the demo's enterprise must exist, with its department's inspector and supervisor)."""
    enterprise = Enterprise.objects.filter(name=CHEM).first()
    inspector = User.objects.filter(username="inspector").first()
    boss = User.objects.filter(username="lianxi_yjj").first()
    colleague = User.objects.filter(username="jc_360402").first()
    if not (enterprise and inspector and boss and colleague) or EnforcementCase.objects.exists():
        return 0
    team = [inspector.username, colleague.username]
    old = services.open_case(
        {
            "enterprise": enterprise.uscc,
            "source": "inspection",
            "source_note": "2026年1月双随机抽查",
            "facts": "重大危险源可燃气体报警装置未定期检测，经责令限期改正逾期未改正（安全生产法第九十九条）",
            "parties": [{"name": "陈建国", "position": "主要负责人"}],
            "investigators": team,
            "applied_on": dt.date(2026, 1, 30),
        },
        actor=inspector,
    )
    old = actions.transition(old, "approve", actor=boss, opened_on=dt.date(2026, 1, 31))
    old = actions.transition(old, "finish_investigation", actor=inspector, report="违法事实清楚，证据确凿")
    fine = [{"kind": "fine", "article": "99-overdue", "amount_yuan": "60000"}]
    old = actions.transition(old, "notify", actor=boss, notified_on=dt.date(2026, 2, 10), measures=fine)
    old = actions.transition(
        old, "statement", actor=inspector, statement_on=dt.date(2026, 2, 12), statement="当事人无异议"
    )
    old = actions.transition(
        old, "discuss", actor=boss, discussed_on=dt.date(2026, 2, 20), note="同意罚款6万元"
    )
    old = actions.transition(old, "decide", actor=boss, decided_on=dt.date(2026, 2, 26), measures=fine)
    old = actions.transition(
        old, "deliver", actor=colleague, delivered_on=dt.date(2026, 2, 27), method="in_person"
    )
    actions.transition(old, "pay", actor=inspector, paid_on=dt.date(2026, 3, 19), amount_yuan="60000")

    applied = timezone.localdate() - dt.timedelta(days=85)
    new = services.open_case(
        {
            "enterprise": enterprise.uscc,
            "source": "tip_off",
            "source_note": "群众举报",
            "facts": "举报：夜间在未批准的场所储存危险化学品",
            "investigators": team,
            "applied_on": applied,
        },
        actor=inspector,
    )
    actions.transition(new, "approve", actor=boss, opened_on=applied)
    return 2
