"""What the bulletins app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from anquan.jobs import runner
from anquan.jobs.models import JobKind

from . import jobs


def register() -> None:
    runner.register(JobKind.BULLETIN, jobs.run)
