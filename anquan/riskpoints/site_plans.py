"""Site-level four-colour plans (厂区风险四色分布图): an enterprise uploads images of its site plan and
places its risk points on them; each marker is coloured by the point's current level.

Only the enterprise's own managers upload plans and place points (`can_edit`); authorities in scope
see the plans read-only. Placements are replaced as a set (`replace_placements`): the difference
to the stored set is written as one audit entry per placed, moved or removed point.
"""

from __future__ import annotations

import math
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import CHANGE, restrict, role_may
from anquan.core.uploads import check_upload
from anquan.enterprises.models import Enterprise
from anquan.standards.choices import LEVEL_COLOURS, LEVEL_ORDER, RiskLevel

from .models import PointPlacement, RiskPoint, SitePlan

UNASSESSED_COLOUR = "#6c757d"  # a placed point not yet assessed
PLAN_TYPES = ("image/png", "image/jpeg")
MAX_PIXELS = 40_000_000  # a scanned A0 plan at 200 dpi is ~ 6600 × 9400 ≈ 62 M; 40 M keeps phones usable


def can_edit(user: User, enterprise_id: int) -> bool:
    """The enterprise's own managers (`SitePlan.scope.change`); supervisors see plans read-only."""
    return (
        getattr(user, "is_active", False)
        and role_may(user, SitePlan, CHANGE)
        and bool(user.enterprise_id)
        and user.enterprise_id == enterprise_id
    )


def _image_size(upload: UploadedFile) -> tuple[int, int]:
    """(width, height) of a PNG/JPEG that really decodes, else a field error."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationFailed(
                    [
                        FieldError(
                            "file",
                            "too_many_pixels",
                            f"图片像素过多（{width}×{height}），请缩小到4000万像素以内",
                        )
                    ]
                )
            image.verify()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed([FieldError("file", "bad_image", "图片文件已损坏或无法读取")]) from None
    finally:
        upload.seek(0)
    return width, height


@transaction.atomic
def upload_plan(raw: Mapping[str, Any], upload: UploadedFile | None, *, actor: User) -> SitePlan:
    """raw: name. The plan belongs to the actor's own enterprise; PNG or JPEG only."""
    errors: list[FieldError] = []
    name = str(raw.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", "required", "请填写平面图名称"))
    elif len(name) > 100:
        errors.append(FieldError("name", "too_long", "平面图名称不能超过100个字"))
    content_type = ""
    if upload is None:
        errors.append(FieldError("file", "required", "请选择平面图图片（PNG或JPG）"))
    elif (
        mimetypes.guess_type(upload.name or "")[0] or ""
    ) not in PLAN_TYPES:  # the plan's own rule speaks first
        errors.append(FieldError("file", "bad_type", "平面图只能是PNG或JPG图片"))
    else:
        try:
            content_type = check_upload(upload)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert upload is not None  # refused above
    if not actor.enterprise_id or not can_edit(actor, actor.enterprise_id):
        raise NotPermitted("只有本企业的人员可以上传厂区平面图")
    width, height = _image_size(upload)
    enterprise = Enterprise.objects.get(pk=actor.enterprise_id)
    plan = SitePlan(
        enterprise=enterprise,
        region_code=enterprise.region_code,
        supervising_department_id=enterprise.supervising_department_id,
        name=name,
        content_type=content_type,
        width=width,
        height=height,
        uploaded_by=actor,
    )
    filename = upload.name or ""  # an uploaded file always has one
    plan.image.save(filename, upload, save=False)
    plan.save()
    audit.record_create(plan, actor=actor, comment=f"上传文件“{filename[:100]}”")
    return plan


@transaction.atomic
def delete_plan(plan: SitePlan, *, actor: User) -> None:
    """Remove a plan with its placements (each removal audited); the image file goes after the commit."""
    if not can_edit(actor, plan.enterprise_id):
        raise NotPermitted("只有本企业的人员可以删除厂区平面图")
    replace_placements(plan, [], actor=actor)
    audit.record_delete(plan, actor=actor)
    storage, name = plan.image.storage, plan.image.name
    plan.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _fraction(value: Any, field: str, errors: list[FieldError]) -> float | None:
    """`value` as given by the client (JSON or form): a number from 0 to 1, else a field error."""
    if isinstance(value, bool):
        value = None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(FieldError(field, "invalid", "坐标应为0到1之间的数字"))
        return None
    if not math.isfinite(number) or not 0 <= number <= 1:
        errors.append(FieldError(field, "out_of_range", "坐标须在0到1之间（图片宽、高的比例）"))
        return None
    return number


MAX_PLACEMENTS = 1000  # points on one plan: a sanity bound on one request


def _clean(plan: SitePlan, items: Sequence[Any], actor: User) -> dict[int, tuple[float, float]]:
    """{point id: (x, y)} or ValidationFailed naming each bad item (placements.N.x / .point)."""
    if len(items) > MAX_PLACEMENTS:
        raise ValidationFailed(
            [FieldError("placements", "too_many", f"一张平面图最多标注{MAX_PLACEMENTS}个风险点")]
        )
    errors: list[FieldError] = []
    wanted: dict[int, tuple[float, float]] = {}
    for n, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        x = _fraction(item.get("x"), f"placements.{n}.x", errors)
        y = _fraction(item.get("y"), f"placements.{n}.y", errors)
        point = item.get("point")
        if isinstance(point, bool) or not isinstance(point, int | str) or not str(point).isdigit():
            errors.append(FieldError(f"placements.{n}.point", "required", "请指明风险点编号"))
            continue
        point = int(point)
        if point in wanted:
            errors.append(
                FieldError(
                    f"placements.{n}.point", "duplicate", f"风险点#{point}在同一张平面图上只能标注一处"
                )
            )
        elif x is not None and y is not None:
            wanted[point] = (x, y)
    own = set(
        restrict(RiskPoint, actor, CHANGE)
        .filter(enterprise_id=plan.enterprise_id, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    for n, item in enumerate(items):
        given: Any = item.get("point") if isinstance(item, dict) else None
        if str(given).isdigit() and int(given) in wanted and int(given) not in own:
            errors.append(
                FieldError(
                    f"placements.{n}.point",
                    "other_enterprise",
                    f"风险点#{given}不是本企业的风险点，不能标注在本企业的平面图上",
                )
            )
    if errors:
        raise ValidationFailed(errors)
    return wanted


@dataclass
class PlacementChange:
    placed: list[int]
    moved: list[int]
    removed: list[int]


@transaction.atomic
def replace_placements(plan: SitePlan, items: Sequence[Any], *, actor: User) -> PlacementChange:
    """Make the plan's placements exactly `items` ([{point, x, y}, …]); audited per changed point."""
    if not can_edit(actor, plan.enterprise_id):
        raise NotPermitted("只有本企业的人员可以在平面图上标注风险点")
    wanted = _clean(plan, items, actor)
    plan = SitePlan.objects.select_for_update().get(pk=plan.pk)  # one editor at a time per plan
    current = {p.point_id: p for p in plan.placements.all()}
    now = timezone.now()
    change = PlacementChange([], [], [])
    placement: PointPlacement | None
    for point_id, placement in current.items():
        if point_id not in wanted:
            placement.plan = plan
            audit.record_delete(placement, actor=actor, comment=f"平面图#{plan.pk}移除风险点#{point_id}")
            placement.delete()
            change.removed.append(point_id)
    for point_id, (x, y) in wanted.items():
        placement = current.get(point_id)
        if placement is None:
            placement = PointPlacement.objects.create(
                plan=plan, point_id=point_id, x=x, y=y, placed_by=actor, placed_at=now
            )
            audit.record_create(placement, actor=actor, comment=f"平面图#{plan.pk}标注风险点#{point_id}")
            change.placed.append(point_id)
        elif (placement.x, placement.y) != (x, y):
            before = audit.snapshot(placement)
            placement.plan = plan
            placement.x, placement.y, placement.placed_by, placement.placed_at = x, y, actor, now
            placement.save(update_fields=["x", "y", "placed_by", "placed_at"])
            audit.record_update(
                placement, before, actor=actor, comment=f"平面图#{plan.pk}移动风险点#{point_id}"
            )
            change.moved.append(point_id)
    return change


# --- reading ----------------------------------------------------------------------------------------

UNASSESSED = "none"
LEVEL_KEYS = [level.value for level in LEVEL_ORDER] + [UNASSESSED]


def placements_of(plan: SitePlan, user: User | None = None) -> list[PointPlacement]:
    """The plan's markers; with `user`, only those whose point the user may see (`restrict` on the
    placement follows plan and point alike)."""
    placements = plan.placements.select_related("point")
    if user is not None:
        placements = restrict(placements, user)
    return list(placements.order_by("point__name", "point_id"))


def counts_by_level(placements: list[PointPlacement]) -> dict[str, int]:
    """Placed points per current level, red first; unassessed points under "none"."""
    counts = dict.fromkeys(LEVEL_KEYS, 0)
    for p in placements:
        counts[p.point.current_level or UNASSESSED] += 1
    return counts


# --- what pages and the API show of a plan -------------------------------------------------------------


def image_url(plan: SitePlan) -> str:
    return reverse("api:site_plan_image", kwargs={"plan_id": plan.pk})


def plan_out(plan: SitePlan, user: User) -> dict[str, Any]:
    """The plan with its placements (each with the point's current level) and the counts by level,
    as far as `user` may see the placed points."""
    placements = placements_of(plan, user)
    return {
        "id": plan.pk,
        "enterprise": plan.enterprise.uscc,
        "enterprise_name": plan.enterprise.name,
        "name": plan.name,
        "width": plan.width,
        "height": plan.height,
        "image_url": image_url(plan),
        "created_at": plan.created_at.isoformat(),
        "placements": [
            {
                "point": p.point_id,
                "point_name": p.point.name,
                "x": p.x,
                "y": p.y,
                "level": p.point.current_level or None,
                "url": reverse("riskpoints:point", args=[p.point_id]),
            }
            for p in placements
        ],
        "counts": counts_by_level(placements),
    }


def legend(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """The four levels and "not assessed" with their colours and the counts of placed points."""
    labels = dict(RiskLevel.choices)
    return [
        {
            "level": level,
            "label": labels.get(level, _("Not assessed")),
            "colour": LEVEL_COLOURS.get(level, UNASSESSED_COLOUR),
            "count": counts[level],
        }
        for level in LEVEL_KEYS
    ]
