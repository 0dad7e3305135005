from django.apps import AppConfig


class RescueConfig(AppConfig):
    name = "anquan.rescue"
    label = "rescue"
    verbose_name = "应急救援力量"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from anquan.core.todo import TODO_ITEMS
        from anquan.rules.models import RuleVersion

        from . import todo
        from .duty import forget, register_kinds

        register_kinds()  # rescue.duty: the units that must keep 24-hour duty (duty.py)
        TODO_ITEMS.register(todo.items)  # stock below minimum or expired, rosters missing
        post_save.connect(forget, sender=RuleVersion, dispatch_uid="rescue.duty.forget")
