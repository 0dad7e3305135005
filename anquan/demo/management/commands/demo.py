"""`anquan demo`: regions of Jiangxi plus a realistic dataset for 九江市 (Jiujiang) and one account per role."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from anquan.accidents.models import Accident
from anquan.accounts.models import User
from anquan.demo import services
from anquan.demo.services import CITY, PASSWORD, VILLAGE_COUNTY
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard
from anquan.regions.loader import load_province, load_villages
from anquan.regions.models import Region


class Command(BaseCommand):
    help = "Load Jiangxi's regions and demo data for 九江市; prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=3000)
        parser.add_argument("--hazards", type=int, default=400)
        parser.add_argument("--accidents-per-year", type=int, default=110)
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args, **opts):
        load_province()
        load_villages(VILLAGE_COUNTY)
        if not User.objects.filter(username="admin").exists():
            with transaction.atomic():
                services.build(opts, random.Random(opts["seed"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"demo data ready in {Region.objects.get(code=CITY).name}: {Enterprise.objects.count()} enterprises,"
                f" {Hazard.objects.count()} hazards, {Accident.objects.count()} accidents"
            )
        )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("\n演示账号 (demo logins) — password / 密码: " + PASSWORD)
        for user in User.objects.filter(
            username__in=[
                "admin",
                "province",
                "jiujiang",
                "lianxi",
                "xiushui",
                "township",
                "lianxi_yjj",
                "lianxi_zjj",
                "inspector",
                "grid",
                "enterprise",
            ]
        ).select_related("region", "department", "enterprise"):
            scope = user.region.full_name if user.region else ""
            if user.department:
                scope += f" · {user.department.name}"
            if user.enterprise:
                scope += f" · {user.enterprise.name}"
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<10} {scope}")
