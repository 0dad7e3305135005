from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "anquan.venues"
    label = "venues"
    verbose_name = "九小场所"
