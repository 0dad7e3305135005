"""Generated bulletins (月调度, 季通报, 年度评估): the .docx file and what it covers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.regions.models import Region

from . import periods
from .choices import GRANULARITY, Kind


def bulletin_path(instance: "Bulletin", filename: str) -> str:
    """MEDIA_ROOT/bulletins/<region>/<kind>-<yyyymm>-<random>.docx (ASCII; the download is named by title)."""
    token = uuid.uuid4().hex[:10]
    return f"bulletins/{instance.region_code}/{instance.kind}-{instance.period_start:%Y%m}-{token}.docx"


class Bulletin(models.Model):
    scope = ScopeSpec(region="region_code")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    data_end = models.DateField(_("figures up to"))  # < period_end when generated before the period ended
    title = models.CharField(_("title"), max_length=200)
    issue_number = models.CharField(_("issue number"), max_length=50, blank=True)
    file = models.FileField(_("file"), upload_to=bulletin_path, max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "kind", "period_start"])]
        verbose_name = _("bulletin")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)

    @property
    def period_name(self) -> str:
        return periods.period_name(GRANULARITY[self.kind], self.period_start)
