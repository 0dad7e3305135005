from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "anquan.personnel"
    label = "personnel"
    verbose_name = "三项岗位人员"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS
        from anquan.jobs import runner
        from anquan.jobs.models import JobKind

        from . import excel, todo
        from .rules import register_kinds

        register_kinds()  # personnel.catalogue, personnel.certificates, personnel.training_hours (rules.py)
        TODO_ITEMS.register(todo.items)  # certificates expiring or with a review due / overdue
        # a file above IMPORT_BACKGROUND_ROWS rows is imported by the worker (docs/adr/0002)
        runner.register(JobKind.PERSONNEL_IMPORT, runner.import_handler(excel.import_job))
