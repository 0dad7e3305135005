"""`anquan refresh_risk_levels [--region CODE]`: recompute the stored enterprise risk levels
(anquan.riskpoints.levels) — after a bulk import or a restored backup; normal changes keep them current."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anquan.core.scope import within
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region
from anquan.riskpoints.levels import refresh_many


class Command(BaseCommand):
    help = "Recompute the stored risk level of enterprises (all, or those of one region)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="GB/T 2260 code of a region")

    def handle(self, *args: Any, region: str = "", **options: Any) -> None:
        qs = Enterprise.objects.all()
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                self.stderr.write(f"unknown region {region}")
                raise SystemExit(2)
            qs = qs.filter(within(found.prefix))
        changed = refresh_many(qs, actor="refresh_risk_levels")
        self.stdout.write(f"{qs.count()} enterprises checked, {changed} levels changed")
