"""Key-post personnel (三项岗位人员, issue #17): a person of an enterprise with their posts, their certificates
(special operation / safety qualification) and their training records. Every row is scoped through its
enterprise (ADR 0007): when the enterprise moves county its people move with it. The ID number exists only
encrypted with a keyed hash (idnumber.py) and a masked form for display."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec

from .choices import CertificateKind, Post, TrainingKind, TrainingResult

MANAGERS = roles_with(Perm.PERSONNEL_MANAGE)
PERSON_SCOPE = ScopeSpec(
    region="enterprise__region_code",
    department="enterprise__supervising_department_id",
    enterprise="enterprise_id",
    change=MANAGERS,
)


class Person(models.Model):
    scope = PERSON_SCOPE

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    name = models.CharField(_("person's name"), max_length=50)
    AUDIT_EXCLUDE = ("id_number_encrypted", "id_hash")
    id_number_encrypted = models.TextField(editable=False)
    id_hash = models.CharField(max_length=64, editable=False, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    is_principal = models.BooleanField(_("principal person"), default=False)
    is_safety_manager = models.BooleanField(_("safety manager"), default=False)
    is_special_worker = models.BooleanField(_("special-operation worker"), default=False)
    is_team_leader = models.BooleanField(_("team leader"), default=False)
    is_other = models.BooleanField(_("other post"), default=False)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["enterprise_id", "name", "id"]
        verbose_name = _("key-post person")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "id_hash"], name="one_person_per_id_per_enterprise")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def posts(self) -> list[str]:
        flags = {
            Post.PRINCIPAL: self.is_principal,
            Post.SAFETY_MANAGER: self.is_safety_manager,
            Post.SPECIAL_WORKER: self.is_special_worker,
            Post.TEAM_LEADER: self.is_team_leader,
            Post.OTHER: self.is_other,
        }
        return [post for post, on in flags.items() if on]

    @property
    def post_labels(self) -> list[str]:
        return [str(Post(p).label) for p in self.posts]

    def employed_on(self, day: dt.date) -> bool:
        return (self.hired_on is None or self.hired_on <= day) and (
            self.left_on is None or self.left_on >= day
        )


POST_FIELDS = {
    Post.PRINCIPAL: "is_principal",
    Post.SAFETY_MANAGER: "is_safety_manager",
    Post.SPECIAL_WORKER: "is_special_worker",
    Post.TEAM_LEADER: "is_team_leader",
    Post.OTHER: "is_other",
}


class Certificate(models.Model):
    scope = PERSON_SCOPE.via("person", change=MANAGERS)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("person")
    )
    kind = models.CharField(_("certificate kind"), max_length=30, choices=CertificateKind.choices)
    # the special-operations catalogue in force (rule kind personnel.catalogue): "1" 电工作业, "1.2" 低压电工作业
    category_code = models.CharField(_("operation category"), max_length=10, blank=True)
    job_code = models.CharField(_("operation job"), max_length=10, blank=True)
    job_name = models.CharField(_("operation job name"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=40)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    # Order 30 art. 21: review every 6 years instead of 3 after 10 years in the job without violations
    review_extended = models.BooleanField(_("review extended to 6 years (10 clean years)"), default=False)
    reviews = models.JSONField(_("reviews done"), default=list, blank=True)  # ISO dates
    # the first day the certificate needs attention (review or expiry), from the rules; read by the to-do centre
    next_due_on = models.DateField(null=True, blank=True, editable=False, db_index=True)
    # from when the to-do centre reminds of it: next_due_on less the reminder days of the rule read at writing
    remind_from = models.DateField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["person_id", "kind", "expires_on", "id"]
        verbose_name = _("personnel certificate")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="one_certificate_number_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def review_dates(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(d) for d in self.reviews or [])


class Training(models.Model):
    scope = PERSON_SCOPE.via("person", change=MANAGERS)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("person")
    )
    course = models.CharField(_("course"), max_length=200)
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1)
    held_on = models.DateField(_("training date"))
    result = models.CharField(_("training result"), max_length=10, choices=TrainingResult.choices)
    provider = models.CharField(_("training provider"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training record")
        indexes = [models.Index(fields=["person", "held_on"], name="training_person_date")]

    def __str__(self) -> str:
        return f"{self.course}（{self.held_on:%Y-%m-%d}）"
