from django.core.management.base import BaseCommand, CommandError

from anquan.accounts.services import create_user
from anquan.core.errors import ValidationFailed
from anquan.core.permissions import Role


class Command(BaseCommand):
    help = "Provision an account: createuser USERNAME --role ROLE --region CODE [--department NAME] [--enterprise USCC] --password …"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--region",
            help="region code of the user's scope (enterprise users: defaults to the enterprise's)",
        )
        parser.add_argument("--department", help="department name, e.g. 应急管理局")
        parser.add_argument("--enterprise", help="USCC of the user's enterprise")
        parser.add_argument("--grid", help="grid code (grid workers)")
        parser.add_argument("--password", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args, **o):
        try:
            user = create_user(
                actor=None,
                username=o["username"],
                role=o["role"],
                password=o["password"],
                region_code=o["region"],
                department_name=o["department"],
                enterprise_uscc=o["enterprise"],
                full_name=o["full_name"],
                phone=o["phone"],
                grid_code=o["grid"],
            )
        except ValidationFailed as exc:
            raise CommandError("\n".join(f"{e.field}: {e.message}" for e in exc.errors)) from exc
        region = user.region.full_name if user.region is not None else ""
        self.stdout.write(self.style.SUCCESS(f"created {user.username} ({user.role}, {region})"))
