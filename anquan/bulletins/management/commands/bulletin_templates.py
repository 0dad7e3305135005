from pathlib import Path

from django.core.management.base import BaseCommand

from anquan.bulletins.make_templates import DEFAULT_DIR, build_all


class Command(BaseCommand):
    help = "Write the default .docx templates of the generated bulletins (to edit and commit, or to start a province's own)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_DIR), help="folder to write them to")

    def handle(self, *args, output, **options):
        for path in build_all(Path(output)):
            self.stdout.write(str(path))
