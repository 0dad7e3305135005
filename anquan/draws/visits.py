"""Who visited which enterprise when: the repeat-visit exclusion of a draw reads it.

Until the inspections app (issue #13, insp13) records inspections, a visit is an inspector drawn for an enterprise
by a draw that has been drawn (not a draft): `DrawAssignment` rows. When inspections land, `recent` should also
count `Inspection` rows (enterprise, inspectors, date) — the one place to change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from anquan.inspections.choices import Status as InspectionStatus
from anquan.inspections.models import Inspection

from .choices import VISIT_STATUSES
from .models import DrawAssignment


def recent(
    inspectors: Collection[int],
    enterprises: Collection[int],
    since: dt.date,
    *,
    other_than: int | None = None,
) -> set[tuple[int, int]]:
    """(inspector, enterprise) pairs visited on or after `since` by a draw other than `other_than`."""
    if not inspectors or not enterprises:
        return set()
    rows = DrawAssignment.objects.filter(
        inspector_id__in=list(inspectors),
        pick__enterprise_id__in=list(enterprises),
        pick__draw__status__in=VISIT_STATUSES,
        pick__draw__draw_date__gte=since,
    )
    if other_than is not None:
        rows = rows.exclude(pick__draw_id=other_than)
    visited = set(rows.values_list("inspector_id", "pick__enterprise_id"))
    # inspections carried out since then count as visits too, whatever their kind
    inspected = Inspection.inspectors.through.objects.filter(
        user_id__in=list(inspectors),
        inspection__enterprise_id__in=list(enterprises),
        inspection__status=InspectionStatus.DONE,
        inspection__done_at__date__gte=since,
    )
    return visited | set(inspected.values_list("user_id", "inspection__enterprise_id"))
