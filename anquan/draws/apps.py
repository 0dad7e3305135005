from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "anquan.draws"
    label = "draws"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        TODO_ITEMS.register(todo.items)
        register_kinds()  # the rule kind draws.publication (anquan.rules)  # the to-do centre (docs/adr/0014-layers-and-hooks.md)
