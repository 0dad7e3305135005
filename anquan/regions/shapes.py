"""Which boundary shapes draw a region's children on a map, and which shape stands for which region.

The shapes are the npm packages named in data/map_shapes.json, copied by scripts/setup to
static/vendor/maps: provinces/<pinyin>.js registers a province with its cities, cities/<省>/<市>.js a
city with its counties. Each file calls echarts.registerMap(name, geojson); the name is read from the
file itself. A shape's feature id is a region code, possibly an old one (aliases).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

from .choices import RegionLevel
from .models import Region

DATA = Path(__file__).with_name("data") / "map_shapes.json"
VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "maps"
_REGISTER = re.compile(r"""registerMap\(\s*["']([^"']+)["']""")
_FEATURE_ID = re.compile(r"""["']?id["']?\s*:\s*["'](\d{6,12})["']""")
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class MapShapes:
    name: str  # the name the file registers with echarts
    url: str  # static URL of the file
    path: str  # relative to static/vendor/maps
    feature_ids: frozenset[str]  # the ids of the features it draws


@cache
def _feature_ids(relative: str) -> frozenset[str]:
    return frozenset(_FEATURE_ID.findall((VENDOR / relative).read_text(encoding="utf-8")))


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def aliases() -> dict[str, str]:
    """{old feature id: current region code}"""
    return {a["shape_id"]: a["code"] for a in _data()["aliases"]}


def shape_ids(code: str) -> list[str]:
    """The feature ids that draw region `code`: its own code and any older id that now means it."""
    return [code, *sorted(old for old, new in aliases().items() if new == code)]


@cache
def _registered_name(relative: str) -> str | None:
    path = VENDOR / relative
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    match = _REGISTER.search(head)
    return match.group(1) if match else None


def _short(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def children_map(region: Region) -> MapShapes | None:
    """The shapes of `region`'s children: a province's cities or a city's counties; None below that
    or when the packages hold no file for it."""
    if region.level == RegionLevel.PROVINCE:
        pinyin = _data()["provinces"].get(region.code[:2])
        relative = f"provinces/{pinyin}.js" if pinyin else None
    elif region.level == RegionLevel.CITY:
        province = Region.objects.filter(code=region.code[:2] + "0000").values_list("name", flat=True).first()
        relative = f"cities/{_short(province or '')}/{region.name}.js"
    else:
        return None
    if relative is None:
        return None
    name = _registered_name(relative)
    if name is None:
        return None
    return MapShapes(
        name=name, url=static(f"vendor/maps/{relative}"), path=relative, feature_ids=_feature_ids(relative)
    )
