"""Load synthetic data at a DESIGN.md scale into the database of DATABASE_URL (which should be empty).

    DATABASE_URL=postgres://anquan@/anquan?host=/tmp/pg .venv/bin/python bench/generate.py --scale province

Runs the migrations, loads Jiangxi's region tree, adds grids, enterprises spread evenly over the
townships of the scale's region, and one account per benchmark role (bench/common.py). Audit
entries are written for the accounts only, not for the generated enterprises.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator

from common import GRIDS_PER_TOWNSHIP, PASSWORD, SCALES, USERS, Scale, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.accounts.services import create_user  # noqa: E402
from anquan.demo.factory import EnterpriseFactory, create_grids  # noqa: E402
from anquan.enterprises.models import Enterprise  # noqa: E402
from anquan.regions.choices import RegionLevel  # noqa: E402
from anquan.regions.loader import load_province  # noqa: E402
from anquan.regions.models import Region  # noqa: E402

CHUNK = 10_000  # enterprises built in memory before each bulk insert


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f}s] {message}", flush=True)


def chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def create_users() -> None:
    for user in USERS.values():
        if not User.objects.filter(username=user.username).exists():
            create_user(
                actor=None,
                username=user.username,
                role=user.role,
                password=PASSWORD,
                region_code=user.region,
                full_name=f"bench {user.role}",
            )


def analyze() -> None:
    """PostgreSQL: planner statistics and the visibility map now, as autovacuum would set them soon after
    a bulk load (an index-only scan needs the visibility map; insert-triggered autovacuum fills it).

    SQLite gathers none unless told (Django never runs ANALYZE), and bench/RESULTS.md shows that its
    statistics make SQLite choose a 50× slower plan for the list query, so SQLite is left as Django has it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def assign_risk_levels(rng: random.Random) -> None:
    """Stored enterprise risk levels (what anquan.riskpoints.levels keeps) for the four-colour map benchmark:
    about half the enterprises assessed, each county with its own lean towards the severe levels."""
    by_level: dict[str, list[int]] = {}
    lean: dict[str, float] = {}
    for pk, code in Enterprise.objects.values_list("pk", "region_code").iterator(chunk_size=CHUNK):
        severe = lean.setdefault(code[:6], rng.random())
        weights = {
            "": 50,
            "red": 0.5 + 2 * severe,
            "orange": 2 + 6 * severe,
            "yellow": 15,
            "blue": 30 - 8 * severe,
        }
        level = rng.choices(list(weights), list(weights.values()))[0]
        by_level.setdefault(level, []).append(pk)
    for level, pks in by_level.items():
        for start in range(0, len(pks), CHUNK):
            Enterprise.objects.filter(pk__in=pks[start : start + CHUNK]).update(risk_level=level)


def level_counts() -> dict[str, int]:
    return dict(Enterprise.objects.order_by().values_list("risk_level").annotate(n=Count("pk")))


def generate(scale: Scale, seed: int) -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    log("migrated", started)
    if Enterprise.objects.exists():
        sys.exit(f"the database already holds {Enterprise.objects.count()} enterprises: use an empty one")
    counts = load_province()
    log(f"regions: {counts[RegionLevel.COUNTY]} counties, {counts[RegionLevel.TOWNSHIP]} townships", started)
    rng = random.Random(seed)
    root = Region.objects.get(code=scale.region)
    townships = list(
        Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=root.prefix)
        .select_related("parent")
        .order_by("code")
    )
    with transaction.atomic():
        grids = create_grids(townships, rng, GRIDS_PER_TOWNSHIP)
        log(f"grids: {sum(len(g) for g in grids.values())} in {len(townships)} townships", started)
        factory = EnterpriseFactory(rng, grids)
        done = 0
        for size in chunks(scale.enterprises, CHUNK):
            batch = [factory.make(townships[(done + i) % len(townships)]) for i in range(size)]
            Enterprise.objects.bulk_create(batch, batch_size=1000)
            done += size
            log(f"enterprises: {done}/{scale.enterprises}", started)
        assign_risk_levels(rng)
        log(
            "risk levels: " + ", ".join(f"{k or 'unassessed'} {v}" for k, v in level_counts().items()),
            started,
        )
        create_users()
    analyze()
    log(
        f"done: {scale.name} scale, {Enterprise.objects.count()} enterprises under {root.full_name}; "
        f"accounts {', '.join(u.username for u in USERS.values())} (password {PASSWORD})",
        started,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, required=True)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    generate(SCALES[args.scale], args.seed)


if __name__ == "__main__":
    main()
