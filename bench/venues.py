"""Small venues at the province's scale (issue #14: 16.3万 venues registered): the registry list page's queries
and the QR label sheet, against the raw SQL they run.

    DATABASE_URL=... .venv/bin/python bench/venues.py [--venues 200000] [--sheet 2400] [--repeat 20]

Needs a migrated database with the regions loaded (`anquan migrate`, `anquan load_regions` or bench/generate.py)
and the benchmark accounts (bench/generate.py). Adds `--venues` venues spread over the province's townships (bulk
insert; once: a second run reuses them), then, for the province, a county and a township account:

- the list page's data as the view gets it (restrict + filters + count + first page of 25 with region and grid),
  through the ORM, versus the same statements replayed through the driver (the floor), median of `--repeat`;
- the label sheet: `--sheet` venues of one county drawn into a PDF (labels a second), versus reading those rows
  by raw SQL; the time for 200,000 follows from the rate (the job writes page by page: memory stays one page).

Prints a Markdown table; it measures, it asserts no timings. Record runs in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time

from common import COUNTY, PROVINCE, USERS, setup_django

setup_django()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from harness import capture_sql, database_label, load_average, raw_runner  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.core.scope import restrict  # noqa: E402
from anquan.regions.choices import RegionLevel  # noqa: E402
from anquan.regions.models import Grid, Region  # noqa: E402
from anquan.venues import filters, labels, services  # noqa: E402
from anquan.venues.choices import VenueKind  # noqa: E402
from anquan.venues.models import SmallVenue  # noqa: E402

MARK = "bench-"  # the benchmark's venues: their names start with this


def load(count: int) -> None:
    have = SmallVenue.objects.filter(name__startswith=MARK).count()
    if have >= count:
        return
    rng = random.Random(14)
    towns = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=PROVINCE[:2]))
    grids: dict[str, list[int]] = {}
    for pk, code in Grid.objects.values_list("pk", "region_code"):
        grids.setdefault(code[:9], []).append(pk)
    unusable = make_password(None)
    kinds = list(VenueKind.values)
    batch = []
    for n in range(have, count):
        town = towns[n % len(towns)]
        choices = grids.get(town.code, [])
        batch.append(
            SmallVenue(
                kind=rng.choice(kinds),
                name=f"{MARK}{n:06d}号店",
                address=f"{town.name}解放路{n % 300}号",
                region=town,
                region_code=town.code,
                grid_id=rng.choice(choices) if choices else None,
                owner_name="王强",
                owner_phone="13800138000",
                public_code=services.new_public_code(),
                pin_hash=unusable,
            )
        )
        if len(batch) == 5000:
            SmallVenue.objects.bulk_create(batch)
            batch = []
    SmallVenue.objects.bulk_create(batch)


def list_page(user: User, params: dict) -> tuple[int, list]:
    qs = filters.apply(restrict(SmallVenue, user).select_related("region", "grid"), params)
    qs = qs.order_by("region_code", "name", "id")
    return qs.count(), list(qs[:25])


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--venues", type=int, default=200_000)
    parser.add_argument("--sheet", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    start = time.perf_counter()
    load(args.venues)
    print(f"venues: {SmallVenue.objects.count()} (loaded in {time.perf_counter() - start:.0f} s)")
    print(f"database: {database_label()} · load: {load_average()}\n")
    run, _explain, close = raw_runner()
    users = {key: User.objects.get(username=u.username) for key, u in USERS.items()}
    township = (
        SmallVenue.objects.filter(region_code__startswith=COUNTY)
        .values_list("region_code", flat=True)
        .first()
    )
    cases = [
        ("province, no filter", "province", {}),
        ("province, kind", "province", {"kind": "small_restaurant"}),
        ("province, not checked this month", "province", {"check": "unchecked"}),
        ("county, no filter", "county", {}),
        ("county, one township, kind", "county", {"region": township or COUNTY, "kind": "shop"}),
    ]
    print("| list page (count + first 25) | ORM ms (median) | raw SQL ms (median) | ratio |")
    print("|---|---|---|---|")
    for label, who, params in cases:
        user = users[who]
        statements, _ = capture_sql(lambda u=user, p=params: list_page(u, p))
        orm = median_ms(lambda u=user, p=params: list_page(u, p), args.repeat)
        raw = median_ms(lambda st=statements: [run(s) for s in st], args.repeat)
        print(f"| {label} | {orm:.1f} | {raw:.1f} | {orm / raw:.2f} |")
    qs = restrict(SmallVenue, users["county"]).order_by("region_code", "name", "id")[: args.sheet]
    statements, rows = capture_sql(lambda: list(qs))
    raw = median_ms(lambda: [run(s) for s in statements], 5)
    base = "https://aq.example.gov.cn"
    start = time.perf_counter()
    out = io.BytesIO()
    drawn = labels.write_sheet(((v, base + services.public_path(v)) for v in rows), out)
    seconds = time.perf_counter() - start
    rate = drawn / seconds
    print(
        f"\nlabel sheet: {drawn} labels, {out.tell() / 1e6:.1f} MB PDF, {seconds:.1f} s = {rate:.0f} labels/s "
        f"(rows read by raw SQL: {raw:.0f} ms); 200,000 labels ≈ {200_000 / rate / 60:.0f} min in a job"
    )
    close()
    connection.close()


if __name__ == "__main__":
    main()
