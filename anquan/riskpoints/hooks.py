"""What the risk points app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from anquan.jobs import runner
from anquan.jobs.models import JobKind

from . import excel


def register() -> None:
    runner.register(JobKind.RISK_POINT_EXPORT, excel.run_export)
