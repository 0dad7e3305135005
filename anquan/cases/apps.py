from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "anquan.cases"
    label = "cases"
    verbose_name = "Enforcement cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import rules, todo

        rules.register_all()  # the rule kinds (docs/adr/0022-versioned-rule-data.md)
        TODO_ITEMS.register(todo.items)  # the to-do centre (docs/adr/0014-layers-and-hooks.md)
