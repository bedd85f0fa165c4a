from django.core.management.base import BaseCommand

from reports import open_data


class Command(BaseCommand):
    help = (
        "Build the open-data files (published practices, stakeholders and events as CSV, "
        "XLSX and JSON) into OPEN_DATA_ROOT, if what is published changed since the last "
        "build (--force: in any case)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Build even if up to date")

    def handle(self, *args, force: bool = False, **options):
        outcome = open_data.build_if_stale(force=force)
        messages = {
            "built": f"Built the open-data files in {open_data.root()}.",
            "fresh": f"The open-data files in {open_data.root()} are up to date.",
            "busy": "Another build of the open-data files is running; it will see the changes.",
        }
        self.stdout.write(messages[outcome])
