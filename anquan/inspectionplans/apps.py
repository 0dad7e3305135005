from django.apps import AppConfig


class InspectionplansConfig(AppConfig):
    name = "anquan.inspectionplans"
    label = "inspectionplans"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        register_kinds()  # enforcement.targeting, enforcement.plan_capacity (rules.py)
        TODO_ITEMS.register(todo.items)  # plans awaiting approval (docs/adr/0017)
