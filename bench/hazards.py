"""Add a year of hazards (default 1,000,000: DESIGN.md's province-scale year) to a database that bench/generate.py
has filled, shaped so that the sweep of today has a day's work to do; and one enterprise account per enterprise
with hazards, so its reminders have someone to go to.

    DATABASE_URL=... .venv/bin/python bench/hazards.py --hazards 1000000

Rows go in through the driver, not the ORM: COPY on PostgreSQL, executemany on SQLite, 50,000 a batch (SQLite:
the roll-up's and the text index's row triggers dropped meanwhile, then re-created and rebuilt). No
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
from anquan.hazards import rollup, text_index  # noqa: E402
from anquan.hazards.choices import Level, Source, Status  # noqa: E402
from anquan.hazards.models import Hazard  # noqa: E402

BATCH = 50_000
MAJOR_SHARE = 0.03
STILL_OPEN_AFTER_DEADLINE = 0.10
RECTIFYING_BEFORE_DEADLINE = 0.60
# Descriptions as inspectors write them (a place, a thing, what is wrong with it, sometimes a remark), so that
# searches of 1, 2 and 3+ characters hit realistic shares of the ledger (bench/search_ledger.py).
PLACES = [
    "一号车间",
    "二号车间",
    "三号车间",
    "仓库",
    "危化品库",
    "配电室",
    "锅炉房",
    "食堂",
    "宿舍楼",
    "办公楼",
    "厂区东门",
    "装卸区",
    "罐区",
    "污水处理站",
    "空压机房",
    "喷漆房",
    "地下车库",
    "屋顶",
    "原料堆场",
    "成品库",
]
THINGS = [
    "消防通道",
    "灭火器",
    "消火栓",
    "配电箱",
    "电缆",
    "安全出口指示灯",
    "应急照明",
    "有限空间",
    "动火作业",
    "叉车",
    "行车",
    "压力容器",
    "气瓶",
    "防护栏杆",
    "警示标识",
    "通风设施",
    "可燃气体报警器",
    "砂轮机防护罩",
    "危化品",
    "安全带",
    "脚手架",
    "接地线",
    "静电接地",
    "防爆电气",
    "操作规程",
]
PROBLEMS = [
    "堵塞",
    "过期未检",
    "损坏",
    "未接地",
    "私拉乱接",
    "未审批",
    "储存超量",
    "缺失",
    "失效",
    "未设置",
    "锈蚀严重",
    "压力不足",
    "未定期检验",
    "无证操作",
    "未按规定佩戴",
    "未张贴",
    "被杂物占用",
    "线路老化",
    "未进行检测",
    "超期使用",
]
REMARKS = [
    "",
    "",
    "",
    "，已责令立即整改",
    "，现场责令停止作业",
    "，责任人未到场",
    "，存在火灾隐患",
    "，需更换",
    "，复查时仍未整改",
    "，企业已制定整改方案",
]


def description(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(THINGS)}{rng.choice(PROBLEMS)}{rng.choice(REMARKS)}"


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
            # as Django stores them (a datetime as UTC text without offset), so that comparisons with the
            # application's own writes hold
            values = [
                [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                for row in values
            ]
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
        "description": description(rng),
        "address": f"{rng.choice(PLACES)}{rng.randint(1, 30)}号",
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


def number_hazards() -> int:
    """Give the hazards without a business number one (county short name + 隐 + 〔year〕 + 4 digits, counted
    per county and local year in order of finding, anquan/hazards/numbering.py) and set the counters to
    match, so that number searches meet a ledger as the live system keeps it. One UPDATE per county."""
    from anquan.hazards.models import HazardNumberCounter
    from anquan.hazards.numbering import format_number
    from anquan.regions.choices import RegionLevel
    from anquan.regions.models import Region

    if connection.vendor == "postgresql":
        year = "extract(year FROM found_at AT TIME ZONE 'Asia/Shanghai')::int"
        digits = "lpad(seq::text, greatest(4, length(seq::text)), '0')"
    else:
        year = "CAST(strftime('%%Y', found_at, '+8 hours') AS INTEGER)"
        digits = "printf('%%04d', seq)"
    done = 0
    with connection.cursor() as cursor:
        for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
            prefix = format_number(county.name, 2000, 0)[:-10]  # the short name + 隐
            cursor.execute(
                f"""UPDATE hazards_hazard SET number = %s || '〔' || n.y || '〕' || {digits.replace("seq", "n.seq")}
                FROM (SELECT id, {year} AS y, row_number() OVER (PARTITION BY {year} ORDER BY found_at, id) AS seq
                      FROM hazards_hazard WHERE region_code LIKE %s AND number IS NULL) n
                WHERE hazards_hazard.id = n.id""",
                [prefix, county.code + "%"],
            )
            done += cursor.rowcount
            cursor.execute(
                f"SELECT {year}, count(*) FROM hazards_hazard WHERE region_code LIKE %s GROUP BY 1",
                [county.code + "%"],
            )
            for y, count in cursor.fetchall():
                HazardNumberCounter.objects.update_or_create(
                    county_code=county.code, year=y, defaults={"last": count}
                )
    return done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--number-only", action="store_true", help="only number the hazards that have none")
    args = parser.parse_args()
    started = time.monotonic()
    if args.number_only:
        print(f"numbered {number_hazards():,} hazards in {time.monotonic() - started:.1f}s", flush=True)
        return
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
    if (
        connection.vendor == "sqlite"
    ):  # row triggers (roll-up, text index) cost ~5× a bulk load: rebuilt after
        rollup.uninstall()
        text_index.drop(connection)
    done = 0
    while done < args.hazards:
        size = min(BATCH, args.hazards - done)
        insert(Hazard, [hazard_row(done + i, today, rng.choice(enterprises), rng) for i in range(size)])
        done += size
        print(f"[{time.monotonic() - started:6.1f}s] hazards: {done:,}/{args.hazards:,}", flush=True)
    print(f"[{time.monotonic() - started:6.1f}s] numbered: {number_hazards():,}", flush=True)
    if connection.vendor == "sqlite":
        text_index.ensure(connection)
        rollup.install()
        print(
            f"[{time.monotonic() - started:6.1f}s] text index and roll-up: {rollup.rebuild():,} cells",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
