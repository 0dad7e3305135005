"""Give the hazards recorded before business numbers existed their numbers: per county and year of the report,
in report order (creation, then id), and set each county's counter to the last number given, so the next
report continues the sequence (hazards/numbering.py)."""

from django.db import migrations
from django.utils import timezone

SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")  # as anquan.regions.names.SUFFIXES


def _short(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def number_existing(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    Counter = apps.get_model("hazards", "HazardNumberCounter")
    Region = apps.get_model("regions", "Region")
    names: dict[str, str] = {}
    last: dict[tuple[str, int], int] = {}
    todo = Hazard.objects.filter(number__isnull=True).order_by("created_at", "id")
    for hazard in todo.values("id", "region_code", "created_at").iterator(chunk_size=2000):
        code = hazard["region_code"]
        county = code[:6] if len(code) > 6 else code
        if county not in names:
            region = Region.objects.filter(code=county).first() or Region.objects.filter(code=code).first()
            names[county] = region.name if region else ""
        year = timezone.localtime(hazard["created_at"]).year
        key = (county, year)
        if key not in last:
            counter = Counter.objects.filter(county_code=county, year=year).first()
            last[key] = counter.last if counter else 0
        last[key] += 1
        number = f"{_short(names[county])}隐〔{year}〕{last[key]:04d}"
        Hazard.objects.filter(pk=hazard["id"]).update(number=number)
    for (county, year), value in last.items():
        Counter.objects.update_or_create(county_code=county, year=year, defaults={"last": value})


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0008_hazard_number_urge_acceptance"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(number_existing, migrations.RunPython.noop)]
