"""What the enterprises app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from anquan.core.scope import restrict
from anquan.jobs import runner
from anquan.jobs.models import JobKind
from anquan.orgs import services as org_services
from anquan.regions import views as region_views
from anquan.regions.models import counts_by_child

from . import excel, services
from .models import Enterprise


def enterprise_counts(user, region):
    return counts_by_child(restrict(Enterprise, user), region)


def register() -> None:
    runner.register(JobKind.ENTERPRISE_IMPORT, runner.import_handler(excel.import_workbook))
    runner.register(JobKind.ENTERPRISE_EXPORT, excel.run_export)
    org_services.rule_changed.register(services.follow_rule)
    region_views.enterprise_counts.register(enterprise_counts)
