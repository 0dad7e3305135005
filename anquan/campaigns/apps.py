from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "anquan.campaigns"
    label = "campaigns"
    verbose_name = "专项整治与调度"
