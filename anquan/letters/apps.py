from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "anquan.letters"
    label = "letters"
    verbose_name = "提示督办函"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS

        from . import todo
        from .rules import register_kind

        register_kind()  # letters.numbering: the pattern of the letters' numbers (rules.py)
        TODO_ITEMS.register(todo.items)  # the recipient's letters to reply, the issuer's replies to review
