from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    """一书两函 and the interview: the committee office's escalating means (seed 003 item 8)."""

    REMINDER = "reminder", _("Work reminder letter")  # 工作提示函
    SUPERVISION = "supervision", _("Supervision letter")  # 督办函
    INTERVIEW = "interview", _("Warning interview")  # 约谈


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (letter)")
    ISSUED = "issued", _("Issued (letter)")
    REPLIED = "replied", _("Replied (letter)")
    OVERDUE = "overdue", _("Reply overdue (letter)")
    CLOSED = "closed", _("Closed (letter)")
    WITHDRAWN = "withdrawn", _("Withdrawn (letter)")
