from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "anquan.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        from . import hooks, rules

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
        rules.register_kind()  # documents.numbering on the rules platform (seeded after migrate)
