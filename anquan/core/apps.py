from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anquan.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import grams, limits

        limits.connect()
        grams.connect()
        post_migrate.connect(audit_data_migrations, sender=self, dispatch_uid="anquan.audit.data_migrations")


def audit_data_migrations(sender, plan=None, using="default", **kwargs):
    """One audit entry per data migration `anquan migrate` applied (reference data changed by a migration:
    departments, industries, 三管三必须 rules, judgement standards …): which migration, when, in which
    direction, and its operations. The rows it changed are described by the migration's code in the
    repository (docs/adr/0006-audit-chain.md). A flush (plan None) records nothing."""
    from django.conf import settings
    from django.db import migrations

    from . import audit
    from .models import AuditAction

    if not plan:
        return
    import sys

    from django.apps import apps

    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("anquan.")}
    subjects = []
    for migration, backwards in plan:
        if migration.app_label not in ours:
            continue
        doc = (getattr(sys.modules.get(type(migration).__module__), "__doc__", None) or "").strip()
        if not any(isinstance(op, migrations.RunPython | migrations.RunSQL) for op in migration.operations):
            continue
        subjects.append(
            audit.Subject(
                kind="migrations.migration",
                key=f"{migration.app_label}.{migration.name}",
                label=f"{migration.app_label}.{migration.name}",
                region_code=settings.ANQUAN_PROVINCE,
                after={
                    "direction": "backwards" if backwards else "forwards",
                    "about": doc.splitlines()[0][:300] if doc else "",
                    "operations": [op.describe() for op in migration.operations],
                },
            )
        )
    if subjects:
        audit.record_subjects(AuditAction.UPDATE, subjects, actor="migrate", comment="数据迁移")
