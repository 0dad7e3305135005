"""The hazard's business number (业务编号): county short name + 隐 + 〔year〕 + four digits, e.g.
濂溪隐〔2026〕0401 — counted per county and year in the order hazards are reported.

The next number is taken inside the report's transaction from the county's counter row, locked until the
report commits: two reports at once wait for each other (never the same number), and a refused report rolls
its number back with it (never a gap). The year is the report's, in local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.core.counters import take_next
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region
from anquan.regions.names import short_name

from .models import HazardNumberCounter

WIDTH = 4


def county_of(region: Region) -> Region:
    """The county a region lies in (itself for a county, a city or the province)."""
    if region.level <= RegionLevel.COUNTY:
        return region
    return Region.objects.filter(code=region.code[:6]).first() or region


def format_number(county_name: str, year: int, sequence: int) -> str:
    return f"{short_name(county_name)}隐〔{year}〕{sequence:0{WIDTH}d}"


def next_number(region: Region, at: dt.datetime) -> str:
    """The next business number for a hazard in `region` reported at `at`. Must run in the report's
    transaction: the counter row stays locked until it commits or rolls back."""
    county = county_of(region)
    year = timezone.localtime(at).year
    return format_number(
        county.name, year, take_next(HazardNumberCounter, county_code=county.code, year=year)
    )
