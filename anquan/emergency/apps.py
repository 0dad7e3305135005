from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "anquan.emergency"
    label = "emergency"
    verbose_name = "应急预案"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        register_kinds()  # emergency.plans and emergency.drills (rules.py)
        TODO_ITEMS.register(todo.items)  # plans awaiting filing; returned plans; overdue drills
