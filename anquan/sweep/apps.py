from django.apps import AppConfig


class SweepConfig(AppConfig):
    """The periodic sweep over every domain (`anquan sweep`; the worker runs it every SWEEP_EVERY_MINUTES)."""

    name = "anquan.sweep"
    label = "sweep"

    def ready(self) -> None:
        from anquan.jobs import worker

        from .services import sweep

        worker.sweeps.register(sweep)
