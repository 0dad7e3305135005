"""What the generator and the benchmarks share: scales, benchmark accounts and Django set-up."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

PROVINCE = "360000"  # 江西省
CITY = "360400"  # 九江市
COUNTY = "360424"  # 修水县: a large county of 九江市 (36 townships)


@dataclass(frozen=True)
class Scale:
    """A DESIGN.md scale: `enterprises` spread evenly over the townships below `region`."""

    name: str
    region: str
    enterprises: int


SCALES: dict[str, Scale] = {
    "county": Scale("county", COUNTY, 1_000),
    "city": Scale("city", CITY, 9_000),  # ~1/11 of the province: Jiangxi has 11 cities
    "province": Scale("province", PROVINCE, 100_000),
}
GRIDS_PER_TOWNSHIP = (8, 14)  # random range: ~20,000 grids in the province's ~1,770 townships


@dataclass(frozen=True)
class BenchUser:
    username: str
    role: str
    region: str


PASSWORD = "Bench-Passw0rd!2026"
USERS: dict[str, BenchUser] = {
    "province": BenchUser("bench_province", "province_office", PROVINCE),
    "city": BenchUser("bench_city", "city_office", CITY),
    "county": BenchUser("bench_county", "county_office", COUNTY),
}


def setup_django() -> None:
    """Configure Django with the project's settings (DATABASE_URL picks the database)."""
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anquan.settings")
    import django

    django.setup()
