"""The former risk app, now only its migrations: they made the `risk_*` tables that standards, riskpoints,
majorhazards, checks and riskreports own since docs/adr/0015-risk-split.md, existing databases have them
recorded, and other apps' migrations depend on them. No code lives here."""

from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "anquan.risk"
    label = "risk"
