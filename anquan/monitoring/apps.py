from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "anquan.monitoring"
    label = "monitoring"
    verbose_name = "监测预警"

    def ready(self) -> None:
        from anquan.core.todo import TODO_ITEMS
        from anquan.jobs import worker

        from . import hooks, ticks, todo, todo_maintenance
        from .rules import register_kinds

        register_kinds()  # monitoring.setpoints and monitoring.operation (rules.py)
        hooks.register()  # points and open alarms move with their enterprise; the enterprise and installation panels
        TODO_ITEMS.register(
            todo.items
        )  # alarms to acknowledge, dispose, close; escalated ones for the offices
        TODO_ITEMS.register(todo_maintenance.items)  # maintenance requests to approve
        # offline, stuck, gaps, escalation (the MQTT consumer ticks faster)
        worker.sweeps.register(ticks.sweep)
