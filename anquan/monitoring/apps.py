from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "anquan.monitoring"
    label = "monitoring"
    verbose_name = "监测预警"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS
        from anquan.jobs import worker

        from . import hooks, ticks, todo
        from .rules import register_kinds

        register_kinds()  # monitoring.setpoints and monitoring.operation (rules.py)
        hooks.register()  # points and open alarms move with their enterprise
        TODO_ITEMS.register(
            todo.items
        )  # alarms to acknowledge, dispose, close; escalated ones for the offices
        worker.sweeps.register(
            ticks.sweep
        )  # offline, stuck, gaps, escalation (the MQTT consumer ticks faster)
