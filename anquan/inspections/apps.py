from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anquan.inspections"
    label = "inspections"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo

        TODO_ITEMS.register(todo.items)  # the to-do centre (docs/adr/0014-layers-and-hooks.md)
