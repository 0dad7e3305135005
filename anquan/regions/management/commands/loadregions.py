from django.core.management.base import BaseCommand, CommandError

from anquan.regions.loader import RegionDataMissing, load_province, load_villages
from anquan.regions.models import Region


class Command(BaseCommand):
    help = (
        "Load the province's cities, counties and townships; --villages COUNTY loads one county's villages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="GB/T 2260 province code (default: ANQUAN_PROVINCE)")
        parser.add_argument(
            "--villages", nargs="*", metavar="COUNTY", default=[], help="county codes whose villages to load"
        )

    def handle(self, *args, **opts):
        try:
            counts = load_province(opts["province"])
            self.stdout.write(f"regions: {counts[2]} cities, {counts[3]} counties, {counts[4]} townships")
            for county in opts["villages"]:
                try:
                    n = load_villages(county)
                except Region.DoesNotExist as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"villages of {county}: {n}")
        except RegionDataMissing as exc:
            raise CommandError(str(exc)) from exc
