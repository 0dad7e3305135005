from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    PLAN = "plan", _("Planned inspection")
    RANDOM = "random", _("Double-random inspection")
    COMPLAINT = "complaint", _("Complaint verification")
    SPECIAL = "special", _("Special inspection")
    REVIEW = "review", _("Follow-up review")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Inspecting")
    DONE = "done", pgettext_lazy("inspection status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("inspection status", "Cancelled")


STATUS_COLOURS = {
    Status.PLANNED: "secondary",
    Status.IN_PROGRESS: "warning",
    Status.DONE: "success",
    Status.CANCELLED: "dark",
}


class Result(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NONCOMPLIANT = "noncompliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReviewStatus(models.TextChoices):
    """The rectification review (整改复查) a rectification order creates (reviews.py)."""

    PENDING = "pending", _("Awaiting review")
    RECTIFIED = "rectified", _("Rectified")
    NOT_RECTIFIED = "not_rectified", _("Not rectified")


REVIEW_COLOURS = {
    ReviewStatus.PENDING: "warning",
    ReviewStatus.RECTIFIED: "success",
    ReviewStatus.NOT_RECTIFIED: "danger",
}

# the immediate measures an inspector may take on site (安全生产法第六十五条第（三）项), offered as choices
# 安全生产法第六十五条第一款第（四）项: 查封 (a place, facilities) or 扣押 (equipment, goods) — seizure.py
SEIZURE_MEASURES = ("查封", "扣押")

ON_SITE_MEASURES = (
    "责令立即停止作业",
    "责令从危险区域内撤出作业人员",
    "责令暂时停产停业",
    "责令暂时停止使用相关设施、设备",
    "责令立即排除事故隐患",
)
