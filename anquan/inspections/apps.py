from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anquan.inspections"
    label = "inspections"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        register_kinds()  # inspections.seizure: how long a 查封/扣押 may last (rules.py)

        TODO_ITEMS.register(todo.items)  # the to-do centre (docs/adr/0014-layers-and-hooks.md)
        TODO_ITEMS.register(todo.reviews_due)  # rectification reviews due soon or overdue
        TODO_ITEMS.register(todo.seizures_due)  # 查封、扣押 about to end or ended, not released
