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


class Action(models.TextChoices):
    """The steps of a letter's life (workflow.py); the labels are the history's words."""

    CREATE = "create", "起草"
    ISSUE = "issue", "发出"
    REPLY = "reply", "回复"
    CLOSE = "close", "办结"
    SEND_BACK = "send_back", "退回重新回复"
    MARK_OVERDUE = "mark_overdue", "逾期未回复"
    WITHDRAW = "withdraw", "撤回"


# the title of the printed letter, by kind (关于…的工作提示函 / 督办函 / 约谈通知)
TITLES = {
    LetterKind.REMINDER: "工作提示函",
    LetterKind.SUPERVISION: "督办函",
    LetterKind.INTERVIEW: "约谈通知",
}

STATUS_COLOURS = {
    LetterStatus.DRAFT: "secondary",
    LetterStatus.ISSUED: "primary",
    LetterStatus.REPLIED: "info",
    LetterStatus.OVERDUE: "danger",
    LetterStatus.CLOSED: "success",
    LetterStatus.WITHDRAWN: "light",
}
