"""Raw readings partitioned by day on PostgreSQL (anquan/monitoring/partitions.py; SQLite keeps the plain table),
the roll-ups' watermark, and no separate point_id index on the readings and roll-ups (their primary keys lead
with point_id: one index less to write per reading)."""

import django.db.models.deletion
from django.db import migrations, models


def partition(apps, schema_editor):
    from anquan.monitoring import partitions

    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor != "postgresql":
            for sql in SQLITE_INDEXES:
                cursor.execute(sql)
            return
        partitions.create_partitioned(cursor)
        for sql in BRIN_INDEXES:
            cursor.execute(sql)
    partitions.ensure(connection=schema_editor.connection)


def unpartition(apps, schema_editor):
    from anquan.monitoring import partitions

    with schema_editor.connection.cursor() as cursor:
        for sql in DROP_INDEXES:
            cursor.execute(sql)
        if schema_editor.connection.vendor == "postgresql":
            partitions.create_plain(cursor)


# the roll-up reads the raw readings and prunes the roll-ups by time: a BRIN index (a few pages for a day's
# partition, nothing to maintain per row worth speaking of) on PostgreSQL, a plain one on SQLite
BRIN_INDEXES = [
    "CREATE INDEX monitoring_reading_ts_brin ON monitoring_reading USING brin (ts)",
    "CREATE INDEX monitoring_rollup_bucket_brin ON monitoring_readingrollup USING brin (bucket)",
]
SQLITE_INDEXES = [
    "CREATE INDEX monitoring_reading_ts_brin ON monitoring_reading (ts)",
    "CREATE INDEX monitoring_rollup_bucket_brin ON monitoring_readingrollup (bucket)",
]
DROP_INDEXES = ["DROP INDEX IF EXISTS monitoring_reading_ts_brin", "DROP INDEX IF EXISTS monitoring_rollup_bucket_brin"]


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RollupMark',
            fields=[
                ('name', models.CharField(max_length=10, primary_key=True, serialize=False)),
                ('until', models.DateTimeField()),
            ],
        ),
        migrations.AlterField(
            model_name='reading',
            name='point',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='monitoring.monitoringpoint'),
        ),
        migrations.AlterField(
            model_name='readingrollup',
            name='point',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='monitoring.monitoringpoint'),
        ),
        migrations.RunPython(partition, unpartition),
    ]
