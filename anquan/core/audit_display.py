"""How an audit entry reads to a person (issue #12 item 7): Chinese field labels, local time to the minute,
values as users know them (是/否, choice labels, names not ids), the system's own actors by what they are,
and structured values (a calculation's inputs, a report's snapshot) as labelled lines, never a Python dict
or JSON with English keys.

The stored entry is never changed (it is hash-chained, docs/adr/0006-audit-chain.md): all of this is done
when the log is shown. `AuditEntry.changed_fields` and the templates `core/_audit_*.html` use it."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import AuditEntry

# the system's own actors (`audit.record(..., actor="sweep")`): what a reader calls them
ACTORS = {
    "system": _("the system"),
    "sweep": _("scheduled checks"),
    "demo": _("demo data"),
    "loadregions": _("region data loading"),
    "createuser": _("account set-up"),
    "migrate": _("system upgrade"),
    "refresh_risk_levels": _("risk level refresh"),
    "cleanup_uploads": _("upload cleanup"),
}

# labels of the keys that have no translated verbose name: fields named only by their attribute, the data
# kept about files (`audit.Subject`), and the keys inside structured values (calculations, snapshots)
LABELS = {
    "name": _("name"),
    "file": _("file"),
    "size": _("size in bytes"),
    "modified": _("last modified"),
    "content_type": _("file type"),
    "uploaded_by": _("uploaded by"),
    "uploaded_at": _("uploaded at"),
    "stage": _("stage"),
    "items": _("items"),  # the items a step names (a rectification order's non-compliant items)
    "hazard": _("hazard"),
    "point": _("risk point"),
    "schedule": _("check schedule"),
    "accident": _("accident"),
    "from_level": _("reported by level"),
    "to_level": _("reported to level"),
    "due_at": _("due"),
    "reported_at": _("reported at"),
    "reported_by": _("reported by"),
    "listed_at": _("listed at"),
    "listed_by": _("listed by"),
    "listed_level": _("listed level"),
    "found_department": _("department that found it"),
    # issue #17: keys of the personnel, emergency and rescue records without a verbose name
    "next_due_on": _("certificate next due on"),
    "remind_from": _("certificate reminded from"),
    "depot": _("supply depot (audit)"),
    "revision_reasons": _("plan revision reasons"),
    "refiling_changes": _("plan changes requiring refiling"),
    "return_reasons": _("plan return reasons"),
    "band_label": _("risk band"),
    "band_table": _("band table"),
    "assessor": _("assessor"),
    "created_by": _("created by"),
    "submitted_by": _("submitted by"),
    "submitted_at": _("submitted at"),
    "reporter": _("reporter"),
    "substances": _("substances"),
    "substance": _("substance"),
    "accident_categories": _("accident categories"),
    "categories": _("categories"),
    "category": _("categories"),
    "cas": _("CAS number"),
    "quantity_t": _("quantity (t)"),
    "standard": _("standard"),
    "unit_type": _("unit type"),
    "is_major": _("major hazard"),
    "grade": _("grade"),
    "lines": _("substances"),
    "table1_no": _("GB 18218 Table 1 item"),
    "ratio": _("q/Q"),
    "q": _("q (quantity present, t)"),
    "Q": _("Q (threshold quantity, t)"),
    "alpha": _("α (correction factor)"),
    "beta": _("β (correction factor)"),
    "s": "S",
    "r": "R",
    "l": "L",
    "e": "E",
    "c": "C",
    "d": "D",
    "kind": _("kind"),
    "label": _("name"),
    "basis": _("basis"),
    "role": _("role"),
    "region": _("region"),
    "department": _("department"),
    "enterprise": _("enterprise"),
    "level": _("level"),
    "year": _("year"),
    "period": _("period"),
    "status": _("status"),
    "total": _("total"),
    "found": _("found"),
    "processed": _("processed"),
    "params": _("settings"),
    "filters": _("filters"),
    "started_at": _("started at"),
    "finished_at": _("finished at"),
    "result": _("result"),
    "title": _("title"),
    "code": _("code"),
    "description": _("description"),
    "deadline": _("deadline"),
    "measures": _("measures"),
    "open": _("open"),
    "missed": _("missed"),
    "taken": _("taken"),
    "overdue": _("overdue"),
    "unassessed": _("not assessed"),
    "points": _("risk points"),
    "tasks": _("check tasks"),
    "hazards": _("hazards"),
    "plans": _("site plans"),
    "installations": _("installations"),
    "site": _("site"),
    "object": _("object"),
    "type": _("type"),
    "content": _("content"),
    "temperature": _("temperature"),
    "pressure": _("pressure"),
    "table": _("table"),
    "rule": _("rule"),
    "industry": _("industry"),
    "taken_at": _("taken at"),
    "uscc": _("unified social credit code"),
    "risk_level": _("risk level"),
    "risk_level_rule": _("how the risk level is set"),
    "points_by_level": _("risk points by level"),
    "points_total": _("risk points in all"),
    "location": _("location"),
    "open_major": _("open major hazards"),
    "check_tasks": _("check tasks"),
    "from": _("from"),
    "to": _("to"),
    "width": _("width (pixels)"),
    "height": _("height (pixels)"),
    "parent": _("parent region"),
    "bulletin": _("bulletin"),
    "file_name": _("file name"),
    "result_name": _("file name"),
    "mode": _("import mode"),
    "total_rows": _("rows"),
    "imported": _("imported"),
    "errors": _("errors"),
    "file_error": _("error"),
    "phase": _("phase"),
    "owner": _("submitted by"),
}
# labels of the data kept in entries about something that is no row of a model (`anquan.core.audit.Subject`)
SUBJECTS = {
    "media.file": {"name": _("file"), "size": _("size in bytes"), "modified": _("last modified")},
}
# fields that are the system's bookkeeping, not something a reader changed (a worker's host and process,
# a queue's task id, a region's code prefix, the ids an import wrote so far)
BOOKKEEPING = {"worker", "task_id", "prefix", "created_ids"}
# keys inside structured values that only repeat another key for machines (an exact fraction of a
# rounded number, a code beside its label)
HIDDEN = {"s_exact", "r_exact", "beta_source", "kind", "id", "region_code"}
# coded values inside structured values, as users say them
VALUES = {
    "storage": _("storage unit"),
    "production": _("production unit"),
    "red": _("red (major risk)"),
    "orange": _("orange (high risk)"),
    "yellow": _("yellow (general risk)"),
    "blue": _("blue (low risk)"),
    "human": _("Human factors"),
    "object": _("Object factors"),
    "environment": _("Environmental factors"),
    "management": _("Management factors"),
    "all_or_nothing": _("all rows or none"),
    "valid_only": _("valid rows only"),
}
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MIME = re.compile(r"(image|application|text)/[a-z0-9.+-]+")
DOCUMENTS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
}


def file_kind(mime: str) -> str:
    """A file's content type as users name it: PNG 图片, PDF 文件, Word 文件."""
    if mime.startswith("image/"):
        return gettext("%(kind)s image") % {"kind": mime.split("/")[1].removeprefix("x-").upper()}
    return gettext("%(kind)s file") % {"kind": DOCUMENTS.get(mime, gettext("other"))}


def actor(entry: AuditEntry) -> str:
    """Who made the change: the account's name, or what part of the system did it."""
    label = ACTORS.get(entry.actor_label)
    return str(label) if label is not None else entry.actor_label


def label(key: str, field: models.Field | None = None) -> str:
    """A field's or key's label in Chinese: its translated verbose name, our label for it, or its words
    looked up in the catalogue (a field without a verbose name is labelled by its name's words)."""
    if field is not None and field.verbose_name:
        text = gettext(str(field.verbose_name))
        if not text.isascii():
            return text
    key = key.removesuffix("_id")
    if key in LABELS:
        return str(LABELS[key])
    if key in VALUES:  # a count by colour: {"red": 0, …}
        return str(VALUES[key])
    return gettext(key.replace("_", " "))


def plain(value: Any) -> Any:
    """One stored value as a reader reads it."""
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if isinstance(value, str):
        if value in VALUES:
            return str(VALUES[value])
        if MIME.fullmatch(value):
            return file_kind(value)
        return moment(value)
    return value


def moment(value: str) -> str:
    """A stored ISO timestamp as a reader in China reads it: 2026-01-02 14:38 (dates and text unchanged)."""
    if len(value) < 16 or value[4:5] != "-" or "T" not in value:
        return value
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    return f"{at:%Y-%m-%d %H:%M}"


def lines(value: Any, depth: int = 0) -> list[str]:
    """A structured value as indented "标签：值" lines."""
    pad = "  " * depth
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if key in HIDDEN or item in (None, "", [], {}):
                continue
            name = label(key) if isinstance(key, str) and IDENTIFIER.match(key) else str(key)
            if isinstance(item, dict | list):
                out += [f"{pad}{name}：", *lines(item, depth + 1)]
            else:
                out.append(f"{pad}{name}：{plain(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict | list):
                nested = lines(item, depth + 1)
                if nested:
                    out += [f"{pad}- {nested[0].strip()}", *nested[1:]]
            else:
                out.append(f"{pad}- {plain(item)}")
        return out
    return [f"{pad}{plain(value)}"]


class Structured:
    """A JSON value of an entry (a report's snapshot, a list of items) as the log page shows it: folded,
    with its number of items, and unfolded as labelled lines."""

    structured = True

    def __init__(self, value: dict | list):
        self.count = len(value)
        self.text = "\n".join(lines(value))

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Structured) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def wrap(cls, value: Any) -> Any:
        return cls(value) if isinstance(value, dict | list) and value else plain(value)


def related(field: models.Field, value: Any) -> Any:
    if value in (None, ""):
        return value
    model = field.related_model
    assert model is not None and not isinstance(model, str)
    row = model._default_manager.filter(pk=value).first()
    if isinstance(row, ContentType):  # "what the record is about": its model's name, as users call it
        about = row.model_class()
        return gettext(str(about._meta.verbose_name)) if about is not None else value
    return str(row or value)


def changes(entry: AuditEntry, model: type[models.Model] | None) -> list[tuple[str, Any, Any]]:
    """(label, before, after) for each changed field of `entry`, related rows shown by name."""
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    before, after = entry.before or {}, entry.after or {}
    rows = []
    keys = (
        [k for k in after if k in fields]
        + sorted(set(before) - set(after))
        + [k for k in after if k not in fields]
    )
    for key in keys:
        old, new = before.get(key), after.get(key)
        if (
            old == new
            or key in entry.NOISE
            or key in BOOKKEEPING
            or (entry.before is None and new in (None, "", False))
        ):
            continue
        field = fields.get(key)
        if isinstance(field, models.FileField):  # the stored path; the file is named by its `name`
            continue
        if field is not None and field.is_relation:
            old, new = related(field, old), related(field, new)
        elif field is not None and field.choices:
            choices = dict(field.flatchoices)
            old, new = choices.get(old, old), choices.get(new, new)
        old, new = Structured.wrap(old), Structured.wrap(new)
        subject = SUBJECTS.get(entry.model, {}).get(key) if model is None else None
        rows.append((str(subject) if subject is not None else label(key, field), old, new))
    return rows
