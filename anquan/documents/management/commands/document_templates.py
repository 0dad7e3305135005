from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anquan.documents.make_templates import DEFAULT_DIR, build_all


class Command(BaseCommand):
    help = "Write the default .docx templates of the official documents (to edit and commit, or to start a province's own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DEFAULT_DIR), help="folder to write them to")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        for path in build_all(Path(output)):
            self.stdout.write(str(path))
