from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "anquan.checks"
    label = "checks"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo

        TODO_ITEMS.register(todo.items)  # the to-do centre (docs/adr/0014-layers-and-hooks.md)
