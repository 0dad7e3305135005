from django.apps import AppConfig


class TipoffsConfig(AppConfig):
    name = "anquan.tipoffs"
    label = "tipoffs"
    verbose_name = "举报"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kinds

        register_kinds()  # tipoffs.rewards: the reward figures of the 2018 measures (rules.py)
        TODO_ITEMS.register(todo.items)  # each step in the to-do centre of who must act
