from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "anquan.campaigns"
    label = "campaigns"
    verbose_name = "专项整治与调度"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo_dispatch

        TODO_ITEMS.register(
            todo_dispatch.items
        )  # dispatch15: reports to make, dispatches with reports missing
        from . import todo

        TODO_ITEMS.register(
            todo.items
        )  # a unit's sub-tasks to do and overdue; the office's reports to verify
