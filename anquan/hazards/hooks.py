"""What the hazards app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from django.db.models import Count, Q

from anquan.core.scope import restrict
from anquan.core.todo import TODO_ITEMS
from anquan.enterprises import moves
from anquan.enterprises import views as enterprise_views
from anquan.jobs import runner
from anquan.jobs.models import JobKind
from anquan.riskpoints import levels

from . import excel, todo
from .choices import OPEN_STATUSES, Level
from .models import Hazard


def open_hazards_of(enterprise):
    """An enterprise's open hazards: they move with it (closed ones stay where they happened)."""
    return [(Hazard.objects.filter(enterprise=enterprise, status__in=OPEN_STATUSES), True)]


def detail_panel(user, enterprise) -> dict:
    """The hazards panel of the enterprise's page: its latest ten and the counts, in the user's scope."""
    hazards = restrict(Hazard, user).filter(enterprise=enterprise)
    open_ = Q(status__in=OPEN_STATUSES)
    return {
        "hazards": hazards.order_by("-found_at")[:10],
        "hazard_counts": hazards.aggregate(
            open=Count("id", filter=open_),
            major_open=Count("id", filter=open_ & Q(level="major")),
            total=Count("id"),
        ),
    }


def open_major_hazards():
    """Open major hazards (重大事故隐患) raise their enterprise's risk level to at least orange."""
    return Hazard.objects.filter(level=Level.MAJOR, status__in=OPEN_STATUSES, enterprise__isnull=False)


def register() -> None:
    runner.register(
        JobKind.HAZARD_IMPORT,
        runner.import_handler(excel.import_self_check, interrupted=(excel.ImportInterrupted,)),
        undo=excel.undo_import,
    )
    runner.register(JobKind.HAZARD_EXPORT, excel.run_export)
    moves.current_records.register(open_hazards_of)
    enterprise_views.detail_panels.register(detail_panel)
    levels.raising.register(open_major_hazards)
    TODO_ITEMS.register(todo.items)
