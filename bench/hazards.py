"""Add a year of hazards (default 1,000,000: DESIGN.md's province-scale year) to a database that bench/generate.py
has filled, shaped so that the sweep of today has a day's work to do; and one enterprise account per enterprise
with hazards, so its reminders have someone to go to.

    DATABASE_URL=... .venv/bin/python bench/hazards.py --hazards 1000000

Rows go in through the driver, not the ORM: COPY on PostgreSQL, executemany on SQLite, 50,000 a batch. No
event rows or audit entries are written for them (the sweep does not read either).

The year, relative to today (Asia/Shanghai): every hazard found on a day of the last 365, with a deadline 7–60
days later, about 3 % major. Of those whose deadline has passed, 90 % are closed and 10 % are still being
rectified — marked overdue (and escalated when major) by earlier sweeps, except those whose deadline was
yesterday: those are today's overdue marks and escalations. Of those whose deadline is still ahead, 60 % are
being rectified (today's reminders 3 working days ahead and on the day come from them) and 40 % await
acceptance. Enterprise accounts get an unusable password (nobody logs in as them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from common import setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.utils import timezone  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.enterprises.models import Enterprise  # noqa: E402
from anquan.hazards.choices import Level, Source, Status  # noqa: E402
from anquan.hazards.models import Hazard  # noqa: E402

BATCH = 50_000
MAJOR_SHARE = 0.03
STILL_OPEN_AFTER_DEADLINE = 0.10
RECTIFYING_BEFORE_DEADLINE = 0.60
DESCRIPTIONS = [
    "消防通道堵塞",
    "灭火器过期",
    "配电箱未接地",
    "安全出口指示灯损坏",
    "有限空间作业未审批",
    "危化品储存超量",
]


def columns(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def insert(model: type[Model], rows: list[dict]) -> None:
    """Insert `rows` (column name → value; a missing column gets its field's default, or NULL)."""
    fields = columns(model)
    names = [f.column for f in fields]
    values = [[row[f.attname] if f.attname in row else _default(f) for f in fields] for row in rows]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)


def _default(field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    return "" if field.get_internal_type() in ("CharField", "TextField", "SlugField") else None


def local(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59))
    )


def enterprise_accounts(enterprises: list[tuple]) -> None:
    """One enterprise_manager account per enterprise (that has none yet), unusable password."""
    have = set(User.objects.exclude(enterprise=None).values_list("enterprise_id", flat=True))
    now = timezone.now()
    rows = [
        {
            "username": f"ent_{pk}",
            "password": "!",
            "is_active": True,
            "date_joined": now,
            "role": "enterprise_manager",
            "region_id": region_id,
            "region_code": region_code,
            "enterprise_id": pk,
            "full_name": f"企业安全员{pk}",
        }
        for pk, region_id, region_code, _, _ in enterprises
        if pk not in have
    ]
    for start in range(0, len(rows), BATCH):
        insert(User, rows[start : start + BATCH])


def hazard_row(n: int, today: dt.date, enterprise: tuple, rng: random.Random) -> dict:
    pk, region_id, region_code, industry_id, department_id = enterprise
    found_day = today - dt.timedelta(days=rng.randint(0, 364))
    found = local(found_day, rng)
    deadline = found_day + dt.timedelta(days=rng.randint(7, 60))
    major = rng.random() < MAJOR_SHARE
    row = {
        "enterprise_id": pk,
        "region_id": region_id,
        "region_code": region_code,
        "industry_id": industry_id,
        "supervising_department_id": department_id,
        "source": Source.INSPECTION.value,
        "level": (Level.MAJOR if major else Level.GENERAL).value,
        "description": f"{rng.choice(DESCRIPTIONS)}（压测数据{n}）",
        "found_by_name": "检查员",
        "found_department_id": department_id,
        "found_at": found,
        "responsible_party": "企业安全员",
        "measures": "立即整改" if major else "",
        "contingency_plan": "应急预案" if major else "",
        "deadline": deadline,
        "deadline_basis": f"{found_day:%Y-%m-%d}起",
        "created_at": found,
        "updated_at": found,
        "overdue": False,
    }
    if deadline < today:
        if rng.random() >= STILL_OPEN_AFTER_DEADLINE:
            done = local(min(deadline, today - dt.timedelta(days=1)), rng)
            row.update(
                status=Status.CLOSED.value,
                submitted_at=done,
                accepted_at=done,
                closed_at=done,
                evidence="已整改",
            )
        else:
            row["status"] = Status.RECTIFYING.value
            if deadline < today - dt.timedelta(
                days=1
            ):  # earlier sweeps marked it; yesterday's are today's work
                row["overdue"] = True
                if major:
                    row["escalated_at"] = local(deadline + dt.timedelta(days=1), rng)
    elif rng.random() < RECTIFYING_BEFORE_DEADLINE:
        row["status"] = Status.RECTIFYING.value
    else:
        row.update(status=Status.SUBMITTED.value, submitted_at=found, evidence="已整改")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(args.seed)
    enterprises = list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "region_id", "region_code", "industry_id", "supervising_department_id"
        )
    )
    if not enterprises:
        sys.exit("no enterprises: run bench/generate.py first")
    enterprise_accounts(enterprises)
    print(f"[{time.monotonic() - started:6.1f}s] enterprise accounts: {len(enterprises)}", flush=True)
    today = timezone.localdate()
    done = 0
    while done < args.hazards:
        size = min(BATCH, args.hazards - done)
        insert(Hazard, [hazard_row(done + i, today, rng.choice(enterprises), rng) for i in range(size)])
        done += size
        print(f"[{time.monotonic() - started:6.1f}s] hazards: {done:,}/{args.hazards:,}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rectifying = Hazard.objects.filter(status=Status.RECTIFYING)
    print(
        f"[{time.monotonic() - started:6.1f}s] done: {Hazard.objects.count():,} hazards, "
        f"{rectifying.count():,} being rectified, of which {rectifying.filter(overdue=False, deadline__lt=today).count():,} "
        f"to mark overdue today, {rectifying.filter(deadline=today).count():,} due today",
        flush=True,
    )


if __name__ == "__main__":
    main()
