"""A hazard's life (隐患闭环), declared once: every status change and every step whose outcome depends on the
hazard's state is one of these transitions, applied by the one engine (anquan.core.workflow) — scope (404),
state (409), role (403) and the preconditions below (409), all of them part of one compare-and-set.

The fields each step takes are declared here too; how they are read and what they change is the trade's own
business and lives in `actions.py` (report → close-out) and `listing.py` (挂牌督办 / 摘牌)."""

from __future__ import annotations

from anquan.core.workflow import Guard, Transition, Workflow
from anquan.riskpoints import levels as risk_levels

from . import dossier, rules
from .choices import Action, Level, ListingLevel, Status
from .models import Hazard, HazardEvent
from .notifications import notify_for_transition, notify_urged

# ---- preconditions (checked on the hazard for buttons, and again inside the UPDATE) ----------------------

NO_PENDING_EXTENSION = Guard(
    {"extension_requested_until__isnull": True}, "extension_pending", "已有待审批的延期申请，请等待审批结果"
)
PENDING_EXTENSION = Guard(
    {"extension_requested_until__isnull": False}, "no_extension_request", "没有待审批的延期申请"
)
MAJOR = Guard({"level": Level.MAJOR}, "not_major", "只有重大事故隐患可以挂牌督办")
NOT_LISTED = Guard({"listed_level": ""}, "already_listed", "该隐患已在挂牌督办中")
LISTED = Guard({"listed_level__in": tuple(ListingLevel.values)}, "not_listed", "该隐患未挂牌督办")


def _lists_at_some_level(user, hazard) -> bool:
    return any(rules.can_list(user, level) for level in ListingLevel.values)


def _lists_at_its_level(user, hazard) -> bool:
    """摘牌 by the level that listed it (an office of that level, or the system administrator)."""
    return bool(hazard.listed_level) and rules.can_list(user, hazard.listed_level)


def _urges(user, hazard) -> bool:
    """催办: an authority of the area presses whoever holds the current step — not a party to the hazard, and not
    someone who could take that step themselves."""
    if not rules.is_authority(user) or rules.is_enterprise_side(user, hazard):
        return False
    return not any(HAZARD_FLOW.can(hazard, action, user) for action in STEP_ACTIONS)


# the steps that move a hazard forward: whoever may take the current one does it rather than urge it
STEP_ACTIONS = (
    Action.ACCEPT,
    Action.ASSIGN,
    Action.SUBMIT,
    Action.ACCEPT_RECTIFICATION,
    Action.GRANT_EXTENSION,
    Action.DELIST,
)
REASON = ("reason", "comment")
LISTABLE = (Status.REPORTED, Status.CONFIRMED, Status.RECTIFYING, Status.SUBMITTED)
OPEN = (*LISTABLE, Status.ACCEPTED)

TRANSITIONS = {
    Action.ACCEPT: Transition(
        Action.ACCEPT.label,
        (Status.REPORTED,),
        Status.CONFIRMED,
        rules.can_accept_report,
        "只有监管部门或安委办可以受理上报的隐患",
        fields=("comment",),
    ),
    Action.REJECT: Transition(
        Action.REJECT.label,
        (Status.REPORTED,),
        Status.REJECTED,
        rules.can_accept_report,
        "只有监管部门或安委办可以退回上报的隐患",
        fields=REASON,
    ),
    Action.ASSIGN: Transition(
        Action.ASSIGN.label,
        (Status.CONFIRMED,),
        Status.RECTIFYING,
        rules.can_assign,
        "您无权部署该隐患的整改",
        fields=(
            "responsible_party",
            "responsible_user",
            "measures",
            "funds_yuan",
            "contingency_plan",
            "deadline",
            "deadline_working_days",
            "deadline_start",
            "comment",
        ),
    ),
    Action.SUBMIT: Transition(
        Action.SUBMIT.label,
        (Status.RECTIFYING,),
        Status.SUBMITTED,
        rules.can_submit,
        "只有整改责任方可以提交整改结果",
        fields=("evidence", "attachments", "comment"),
    ),
    # a listed hazard waits in `accepted` for its delisting (actions.transition passes that target)
    Action.ACCEPT_RECTIFICATION: Transition(
        Action.ACCEPT_RECTIFICATION.label,
        (Status.SUBMITTED,),
        Status.CLOSED,
        rules.can_review,
        "您无权验收该隐患的整改",
        fields=("opinion", "attachments", "comment"),
    ),
    Action.RETURN: Transition(
        Action.RETURN.label,
        (Status.SUBMITTED,),
        Status.RECTIFYING,
        rules.can_review,
        "您无权退回该隐患的整改",
        fields=REASON,
    ),
    Action.CANCEL: Transition(
        Action.CANCEL.label,
        OPEN,
        Status.CANCELLED,
        rules.can_cancel,
        "只有安委办或部门负责人可以撤销隐患",
        fields=REASON,
    ),
    # the three extension steps leave the status as it is: only their guards tell two requests apart
    Action.REQUEST_EXTENSION: Transition(
        Action.REQUEST_EXTENSION.label,
        (Status.RECTIFYING,),
        None,
        rules.can_submit,
        "只有整改责任方可以申请延期",
        guards=(NO_PENDING_EXTENSION,),
        fields=("until", *REASON),
    ),
    Action.GRANT_EXTENSION: Transition(
        Action.GRANT_EXTENSION.label,
        (Status.RECTIFYING,),
        None,
        rules.can_review,
        "您无权批准延期",
        guards=(PENDING_EXTENSION,),
        fields=("until", "comment"),
    ),
    Action.DENY_EXTENSION: Transition(
        Action.DENY_EXTENSION.label,
        (Status.RECTIFYING,),
        None,
        rules.can_review,
        "您无权驳回延期申请",
        guards=(PENDING_EXTENSION,),
        fields=REASON,
    ),
    # 催办: the status stays; the hazard counts the urgings (urge_count, compare-and-set on it)
    Action.URGE: Transition(
        Action.URGE.label,
        OPEN,
        None,
        _urges,
        "只有安委办或监管部门可以催办",
        fields=("comment",),
    ),
    # 挂牌督办: a major hazard, not yet accepted, listed by one level at a time; the status stays
    Action.LIST: Transition(
        Action.LIST.label,
        LISTABLE,
        None,
        _lists_at_some_level,
        "只有省、市、县安委办可以挂牌督办",
        guards=(MAJOR, NOT_LISTED),
        fields=("level", "authority", "document_no", "deadline", "report_every_days"),
    ),
    # 摘牌: only once the rectification was accepted; it closes the hazard (销号)
    Action.DELIST: Transition(
        Action.DELIST.label,
        (Status.ACCEPTED,),
        Status.CLOSED,
        _lists_at_its_level,
        "只有挂牌的同级安委办可以摘牌",
        guards=(LISTED,),
        fields=("text",),
    ),
}

# the steps taken through POST /api/v1/hazards/{id}/transitions and the page's action buttons; listing and
# delisting have their own forms and endpoints (they take other fields and write a Listing row)
MOVES = tuple(action for action in TRANSITIONS if action not in (Action.LIST, Action.DELIST))


def _after(hazard: Hazard, action: str, actor, event) -> None:
    """Inside the transaction: the in-app notifications, and the enterprise's stored risk level, which an
    open major hazard raises (risk.levels)."""
    notify_for_transition(hazard, action, actor)
    if action == Action.URGE:  # 催办 reaches whoever holds the current step and the township office
        notify_urged(hazard, event, bar=dossier.step_bar(hazard), to=dossier.urge_recipients(hazard, actor))
    if hazard.enterprise_id:
        risk_levels.refresh(hazard.enterprise_id)


HAZARD_FLOW = Workflow(
    model=Hazard,
    event_model=HazardEvent,
    event_parent="hazard",
    transitions=TRANSITIONS,
    status_labels={status.value: status.label for status in Status},
    stale_message="该隐患已被他人处理，请刷新后重试",
    after=_after,
    select_related=("enterprise", "region"),
)
