"""`anquan rebuild-hazard-rollups`: recount the hazard statistics' roll-up from the hazards (after a bulk load that
bypassed the triggers, or a restore); `--check` only compares it with a full recount (rollup.py, ADR 0051)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anquan.hazards import rollup


class Command(BaseCommand):
    help = (
        "Recount the hazard statistics' roll-up from the hazards (writes wait meanwhile); with --check, compare "
        "it with a full recount instead and fail when they differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
        parser.add_argument("--triggers", action="store_true", help="re-create the triggers first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            found = rollup.differences()
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(f"the roll-up differs from a full recount ({len(found)} cells shown)")
            self.stdout.write("roll-up equals a full recount")
            return
        if options["triggers"]:
            rollup.install()
        self.stdout.write(f"{rollup.rebuild()} cells")
