"""The hazard's business number (业务编号): county short name + 隐 + 〔year〕 + four digits, e.g.
濂溪隐〔2026〕0401 — counted per county and year in the order hazards are reported.

The next number is taken inside the report's transaction from the county's counter row, locked until the
report commits: two reports at once wait for each other (never the same number), and a refused report rolls
its number back with it (never a gap). The year is the report's, in local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from .models import HazardNumberCounter

SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")
WIDTH = 4


def short_name(name: str) -> str:
    """濂溪区 → 濂溪, 修水县 → 修水, 共青城市 → 共青城; a two-character name keeps its suffix (城区)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


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
    HazardNumberCounter.objects.get_or_create(county_code=county.code, year=year)
    counter = HazardNumberCounter.objects.select_for_update().get(county_code=county.code, year=year)
    HazardNumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return format_number(county.name, year, counter.last + 1)
