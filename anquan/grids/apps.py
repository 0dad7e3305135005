from django.apps import AppConfig


class GridsConfig(AppConfig):
    name = "anquan.grids"
    label = "grids"
    verbose_name = "网格化管理"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        register_kinds()  # grids.patrol, grids.allowance (rules.py)
        TODO_ITEMS.register(todo.items)  # overdue patrols (offices), today's patrols (grid workers)
