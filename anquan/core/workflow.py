"""The one workflow engine (DESIGN rule 2): every status change of every record is a declared transition.

A `Workflow` is declared once per model (hazards, accidents, risk reports, check tasks, enterprises, and every
workflow of the domains after them). Each `Transition` says, as data, from which states it runs, the state it
leads to (or `None` when the status stays, as for an extension request), who may take it, its preconditions
(`Guard`s, e.g. "no pending extension", "not yet extended") and the fields it takes.

`Workflow.apply(...)` is the only way a transition is written. In one transaction it

1. checks the actor's scope (out of scope: 404), the state (409), the role (403) and the guards (409);
2. performs **one compare-and-set**: an UPDATE filtered on the primary key, the old status *and* every guard,
   so that of two simultaneous requests exactly one changes the row — also when the status does not change;
   the loser is told why (409 `stale` or the guard's own code);
3. writes the typed event row (a concrete subclass of `WorkflowEvent`) and the audit entry;
4. runs the workflow's `after` hook (in-app notifications: rows written in the same transaction, so they
   commit or vanish with the change; anything that leaves the database is queued with `on_commit`).

The domain module keeps what is its own: parsing and checking the transition's fields (422), computing the
changed columns, and what an event's `data` says. Pages and the API call the domain function, which calls
`apply`; both therefore raise the same `NotPermitted` (403), `Conflict` (409) and `ValidationFailed` (422).

See docs/adr/ for why the engine checks guards inside the UPDATE rather than taking a row lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from .errors import Conflict, FieldError, NotPermitted, ValidationFailed
from .scope import in_scope

# ---- the event row ----------------------------------------------------------------------------------


class WorkflowEvent(models.Model):
    """One step in a record's life: who, when, from which state to which, why, and what the step carried.

    Each workflow has a concrete subclass with a foreign key to its record (`hazard`, `accident`, …),
    named in `Workflow.event_parent`."""

    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    id: int  # each concrete subclass's automatic primary key

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def as_json(self) -> dict[str, Any]:
        """The event as the API's `/events` endpoints answer it (each schema keeps the keys it declares)."""
        return {
            "id": self.id,
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "actor": self.actor_label,
            "at": self.at,
            "comment": self.comment,
            "data": self.data,
        }


def actor_label(actor: Any) -> str:
    """How an event names who acted: the person's name, or 系统 for the sweep and commands."""
    if getattr(actor, "pk", None):
        return cast(str, actor.get_full_name() or actor.get_username())
    if isinstance(actor, str) and actor:
        from .audit_display import ACTORS  # the system's own actors by what they are (sweep: 定时检查)

        return str(ACTORS.get(actor, actor))
    return "系统"


# ---- declarations ---------------------------------------------------------------------------------

_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda value, arg: value == arg,
    "isnull": lambda value, arg: (value is None) == bool(arg),
    "in": lambda value, arg: value in arg,
    "gt": lambda value, arg: value is not None and value > arg,
    "gte": lambda value, arg: value is not None and value >= arg,
    "lt": lambda value, arg: value is not None and value < arg,
    "lte": lambda value, arg: value is not None and value <= arg,
}


@dataclass(frozen=True)
class Guard:
    """A precondition written as field lookups on the record (`{"extension_days": 0}`,
    `{"extension_requested_until__isnull": True}`). It is checked on the object for buttons and early
    refusals, and again inside the compare-and-set, so a concurrent change cannot slip between the two."""

    lookups: Mapping[str, Any]
    code: str
    message: str

    def holds(self, obj: models.Model) -> bool:
        for key, arg in self.lookups.items():
            name, _, op = key.partition("__")
            op = op or "exact"
            if op not in _LOOKUPS:
                raise ValueError(f"guard lookup {key!r}: only {sorted(_LOOKUPS)} are supported")
            fld = obj._meta.get_field(name)
            if not isinstance(fld, models.Field):
                raise ValueError(f"guard lookup {key!r}: {name} is not a column of {obj._meta.label}")
            value = getattr(obj, fld.attname)
            if isinstance(arg, models.Model):
                arg = arg.pk
            if not _LOOKUPS[op](value, arg):
                return False
        return True


Who = Callable[[Any, Any], bool] | Iterable[str]  # (user, the workflow's record) -> bool, or roles
SYSTEM = "system"  # put in a transition's `who` to let the sweep and commands (actor None) take it


@dataclass(frozen=True)
class Transition:
    """One step a record may take. `who` is a predicate `(user, obj) -> bool` or a set of roles."""

    label: str  # shown to users: 受理, 申请延期 …
    sources: tuple[str, ...]  # states it runs from; () for a workflow without a status field
    target: str | None  # the state it leads to; None: the status stays
    who: Who
    refusal: str = "您无权执行此操作"  # the 403 message
    guards: tuple[Guard, ...] = ()
    fields: tuple[str, ...] = ()  # the fields it takes; any other is refused (422 unexpected_field)
    required: tuple[str, ...] = ()  # of `fields`, those that must be given

    def permits(self, user: Any, obj: Any) -> bool:
        if callable(self.who):
            return bool(self.who(user, obj))
        return (SYSTEM if user is None else getattr(user, "role", None)) in set(self.who)


M = TypeVar("M", bound=models.Model)


@dataclass
class Workflow(Generic[M]):
    """The declared life of one model. `transitions` maps an action name to its `Transition`."""

    model: type[M]
    event_model: type[WorkflowEvent] | None
    event_parent: str  # the event's foreign key to the record ("hazard")
    transitions: dict[str, Transition]
    status_field: str | None = "status"
    status_labels: Mapping[str, str | Promise] = field(default_factory=dict)  # TextChoices labels are lazy
    field_labels: Mapping[str, str] = field(default_factory=dict)
    stale_message: str = "该记录已被他人处理，请刷新后重试"
    owner: Callable[[models.Model], models.Model] | None = None  # the record events and scope belong to
    after: Callable[..., None] | None = None  # (obj, action, actor, event) → None, inside the transaction
    select_related: tuple[str, ...] = ()

    # -- reading ----------------------------------------------------------------------------------

    def get(self, action: str) -> Transition:
        spec = self.transitions.get(action)
        if spec is None:
            raise ValidationFailed(
                [
                    FieldError(
                        "action",
                        "unknown_action",
                        f"未知操作“{action}”，可选：" + "、".join(self.transitions),
                    )
                ]
            )
        return spec

    def status_of(self, obj: Any) -> str:
        return cast(str, getattr(obj, self.status_field)) if self.status_field else ""

    def status_label(self, status: str) -> str:
        return str(self.status_labels.get(status, status))

    def can(self, obj: Any, action: str, user: Any) -> bool:
        """Whether `user` could take `action` on `obj` now: its state, who may, its guards (no scope check)."""
        spec = self.transitions[action]
        return (
            self._state_ok(spec, obj) and spec.permits(user, obj) and all(g.holds(obj) for g in spec.guards)
        )

    def available(self, obj: Any, user: Any) -> list[str]:
        """The actions this user could take on `obj` now (buttons, the API's `actions` field)."""
        return [action for action in self.transitions if self.can(obj, action, user)]

    def _state_ok(self, spec: Transition, obj: Any) -> bool:
        return not self.status_field or self.status_of(obj) in spec.sources

    # -- checking ---------------------------------------------------------------------------------

    def check(self, obj: Any, action: str, actor: Any) -> Transition:
        """Scope (404), state (409 invalid_state), role (403) and guards (409), in that order.
        `actor` None is the system (sweep, commands): no scope, and only transitions that admit `SYSTEM`."""

        spec = self.get(action)
        if actor is not None and not in_scope(self._owner(obj), actor):
            raise Http404
        if not self._state_ok(spec, obj):
            raise Conflict(
                "invalid_state",
                f"当前状态（{self.status_label(self.status_of(obj))}）不能执行“{spec.label}”",
            )
        if not spec.permits(actor, obj):
            raise NotPermitted(spec.refusal)
        for guard in spec.guards:
            if not guard.holds(obj):
                raise Conflict(guard.code, guard.message)
        return spec

    def accept_fields(self, action: str, fields: Mapping[str, Any]) -> None:
        """Refuse fields the transition does not take and report the required ones that are missing."""
        spec = self.get(action)
        errors = [
            FieldError(name, "unexpected_field", f"“{spec.label}”不接受该字段")
            for name in sorted(set(fields) - set(spec.fields))
        ]
        errors += [
            FieldError(name, "required", f"请填写{self.field_labels.get(name, name)}")
            for name in spec.required
            if fields.get(name) in (None, "", [])
        ]
        if errors:
            raise ValidationFailed(errors)

    def declared(self, action: str, posted: Any) -> dict[str, Any]:
        """The non-blank values of `posted` (a form or a dict) that `action` takes."""
        spec = self.get(action)
        return {k: posted[k] for k in spec.fields if k in posted and posted[k] not in (None, "")}

    # -- writing ----------------------------------------------------------------------------------

    def apply(
        self,
        obj: M,
        action: str,
        *,
        actor: Any,
        changes: Mapping[str, Any] | None = None,
        comment: str = "",
        data: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
        target: str | None = None,
        expect: Mapping[str, Any] | None = None,
        audit_comment: str = "",
    ) -> tuple[M, WorkflowEvent | None]:
        """Take `action` on `obj` as `actor`, setting `changes` as well as the status. Returns the record as
        stored afterwards and its event row. `target` overrides the declared target for a transition whose
        outcome depends on the record (e.g. acceptance of a listed hazard waits for delisting). `expect` names
        columns whose values, as read, the changes were computed from (the requested extension date a grant
        applies): they join the compare-and-set, so a record changed meanwhile answers 409 `stale`."""
        from . import audit
        from .models import AuditAction

        now = now or timezone.now()
        with transaction.atomic():
            spec = self.check(obj, action, actor)
            old = self.status_of(obj)
            new = target or spec.target or old
            before = audit.snapshot(obj)
            values = dict(changes or {})
            if self.status_field:
                values[self.status_field] = new
            if "updated_at" in {f.name for f in self.model._meta.concrete_fields}:
                values.setdefault("updated_at", now)
            # the compare-and-set: the old status and every guard are part of the WHERE clause
            condition = models.Q(pk=obj.pk)
            if self.status_field:
                condition &= models.Q(**{self.status_field: old})
            for guard in spec.guards:
                condition &= models.Q(**guard.lookups)
            condition &= models.Q(**dict(expect or {}))
            if self.model._default_manager.filter(condition).update(**values) != 1:
                raise self._why_stale(obj, spec)
            fresh = self.model._default_manager.select_related(*self.select_related).get(pk=obj.pk)
            event = self._event(fresh, action, actor, now, old, new, comment, data)
            audit.record(
                AuditAction.TRANSITION,
                fresh,
                actor=actor,
                before=before,
                after=audit.snapshot(fresh),
                comment=audit_comment or self.describe(spec, old, new, comment),
            )
            if self.after is not None:
                self.after(fresh, action, actor, event)
        return fresh, event

    def apply_many(
        self,
        objs: Iterable[M],
        action: str,
        *,
        changes: Mapping[str, Any] | None = None,
        comment: str = "",
        now: dt.datetime | None = None,
        audit_comment: str = "",
    ) -> list[M]:
        """The system (actor None) takes `action` on a batch of records in one short transaction (the sweep):
        the same checks per record; the rows locked and re-read with the old status and every guard in the
        WHERE clause, so a record a user changed meanwhile is skipped rather than overwritten; one UPDATE; an
        event row and an audit entry per record changed. Returns the records as stored afterwards."""
        from . import audit
        from .models import AuditAction

        now = now or timezone.now()
        spec = self.get(action)
        by_status: dict[str, list[Any]] = {}
        for obj in objs:
            try:
                self.check(obj, action, None)
            except (Conflict, NotPermitted):
                continue
            by_status.setdefault(self.status_of(obj), []).append(obj.pk)
        changed: list[M] = []
        with transaction.atomic():
            for old, pks in by_status.items():
                condition = models.Q(pk__in=pks)
                if self.status_field:
                    condition &= models.Q(**{self.status_field: old})
                for guard in spec.guards:
                    condition &= models.Q(**guard.lookups)
                manager = self.model._default_manager
                locked = list(manager.select_for_update().filter(condition).values_list("pk", flat=True))
                if not locked:
                    continue
                new = spec.target or old
                values = dict(changes or {})
                if self.status_field:
                    values[self.status_field] = new
                if "updated_at" in {f.name for f in self.model._meta.concrete_fields}:
                    values.setdefault("updated_at", now)
                manager.filter(pk__in=locked).update(**values)
                fresh = list(
                    manager.select_related(*self.select_related).filter(pk__in=locked).order_by("pk")
                )
                if self.event_model is not None:
                    self.event_model._default_manager.bulk_create(
                        [
                            self.event_model(
                                **{self.event_parent: self._owner(obj)},
                                action=action,
                                from_status=old or "",
                                to_status=new or "",
                                actor=None,
                                actor_label=actor_label(None),
                                at=now,
                                comment=comment,
                            )
                            for obj in fresh
                        ]
                    )
                audit.record_many(
                    AuditAction.TRANSITION,
                    fresh,
                    actor=None,
                    comment=audit_comment or self.describe(spec, old, new, comment),
                )
                changed += fresh
        return changed

    def record_event(
        self,
        obj: Any,
        action: str,
        *,
        actor: Any = None,
        comment: str = "",
        data: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
        from_status: str | None = None,
    ) -> WorkflowEvent | None:
        """An event that is no transition of its own (a creation with `from_status=""`, an overdue mark, a progress
        report): same row shape."""
        status = self.status_of(obj)
        return self._event(
            obj,
            action,
            actor,
            now or timezone.now(),
            status if from_status is None else from_status,
            status,
            comment,
            data,
        )

    def describe(self, spec: Transition, old: str, new: str, comment: str = "") -> str:
        """The audit entry's comment as a reader sees it: 退回：已提交 → 已退回（理由）."""
        text = str(spec.label)
        if self.status_field and old != new:
            text += f"：{self.status_label(old)} → {self.status_label(new)}"
        return text + (f"（{comment}）" if comment else "")

    def _why_stale(self, obj: Any, spec: Transition) -> Conflict:
        current = self.model._default_manager.filter(pk=obj.pk).first()
        if current is None or (self.status_field and self.status_of(current) != self.status_of(obj)):
            return Conflict("stale", self.stale_message)
        for guard in spec.guards:
            if not guard.holds(current):
                return Conflict(guard.code, guard.message)
        return Conflict("stale", self.stale_message)

    def _owner(self, obj: Any) -> Any:
        return self.owner(obj) if self.owner else obj

    def _event(
        self,
        obj: Any,
        action: str,
        actor: Any,
        now: dt.datetime,
        old: str,
        new: str,
        comment: str,
        data: Mapping[str, Any] | None,
    ) -> WorkflowEvent | None:
        if self.event_model is None:
            return None
        return self.event_model._default_manager.create(
            **{self.event_parent: self._owner(obj)},
            action=action,
            from_status=old or "",
            to_status=new or "",
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=actor_label(actor),
            at=now,
            comment=comment,
            data=_jsonable(dict(data or {})),
        )


def _jsonable(value: Any) -> Any:
    import json

    from .audit import _json_default

    return json.loads(json.dumps(value, default=_json_default))
