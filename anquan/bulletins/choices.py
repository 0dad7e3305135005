from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MONTHLY_DISPATCH = "monthly_dispatch", _("Monthly dispatch")
    QUARTERLY_BULLETIN = "quarterly_bulletin", _("Quarterly bulletin")
    YEARLY_EVALUATION = "yearly_evaluation", _("Yearly evaluation")


# what the documents call themselves (the .docx content is Chinese whatever the UI language)
DOCUMENT_NAMES = {
    Kind.MONTHLY_DISPATCH: "安全生产月调度",
    Kind.QUARTERLY_BULLETIN: "安全生产季度通报",
    Kind.YEARLY_EVALUATION: "安全生产年度评估总结",
}

# the calendar unit each kind covers
GRANULARITY = {
    Kind.MONTHLY_DISPATCH: "month",
    Kind.QUARTERLY_BULLETIN: "quarter",
    Kind.YEARLY_EVALUATION: "year",
}
