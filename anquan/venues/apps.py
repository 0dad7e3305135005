from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "anquan.venues"
    label = "venues"
    verbose_name = "九小场所"

    def ready(self) -> None:
        from .rules import register_kinds

        register_kinds()  # venues.checklist: the 九小 fire-safety items per kind (rules.py)
