"""The vocabulary of double-random draws (双随机): the draw's states and steps, a pick's result, a declared
link's kind and why an inspector was left out of a pick."""

from django.db import models
from django.utils.translation import pgettext_lazy


class DrawStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("draw status", "Draft")
    DRAWN = "drawn", pgettext_lazy("draw status", "Drawn")
    PUBLISHED = "published", pgettext_lazy("draw status", "Published")
    COMPLETED = "completed", pgettext_lazy("draw status", "Completed")


# the states the public page shows (一公开): once published, with the results as they are entered
PUBLIC_STATUSES = (DrawStatus.PUBLISHED, DrawStatus.COMPLETED)
# the states whose picks count as visits (the repeat-visit exclusion), until the inspections app records them
VISIT_STATUSES = (DrawStatus.DRAWN, DrawStatus.PUBLISHED, DrawStatus.COMPLETED)

STATUS_COLOURS = {
    DrawStatus.DRAFT: "secondary",
    DrawStatus.DRAWN: "info",
    DrawStatus.PUBLISHED: "primary",
    DrawStatus.COMPLETED: "success",
}


class DrawAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("draw action", "Created")
    DRAW = "draw", pgettext_lazy("draw action", "Drawn")
    PUBLISH = "publish", pgettext_lazy("draw action", "Published")
    RESULT = "result", pgettext_lazy("draw action", "Result entered")
    COMPLETE = "complete", pgettext_lazy("draw action", "Completed")


class PickResult(models.TextChoices):
    NO_PROBLEM = "no_problem", pgettext_lazy("draw result", "No problem found")
    ORDERED = "ordered", pgettext_lazy("draw result", "Problems found, rectification ordered")
    CASE = "case", pgettext_lazy("draw result", "Case opened")


class LinkKind(models.TextChoices):
    RELATIVE = "relative", pgettext_lazy("declared link", "Relative employed there")
    FORMER = "former", pgettext_lazy("declared link", "Formerly employed there")
    SHARES = "shares", pgettext_lazy("declared link", "Holds shares")
    OTHER = "other", pgettext_lazy("declared link", "Other")


class Conflict(models.TextChoices):
    """Why an inspector may not be drawn for an enterprise (回避)."""

    TOWNSHIP = "township", pgettext_lazy("draw conflict", "own township")
    LINK = "link", pgettext_lazy("draw conflict", "declared link")
    REPEAT = "repeat", pgettext_lazy("draw conflict", "visited within the repeat-visit period")
