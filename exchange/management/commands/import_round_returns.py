from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange import workbook
from exchange.importer import ImportRefused, PreviewOutdated
from exchange.report import preview_lines
from exchange.round_import import round_import_apply, round_import_preview
from monitoring.models import Round


class Command(BaseCommand):
    help = (
        "Import a monitoring round's returns from its workbook (.xlsx, as the round page exports it). Prints "
        "what would be added and changed, and every rejected row; then writes all of it or nothing. The returns "
        "are saved as --user, with the same checks as on the returns page (who may enter them, an open round, a "
        "reason for each delay). Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file.")
        parser.add_argument("--round", type=int, required=True, help="The round's id (in its page's address).")
        parser.add_argument("--user", required=True, help="The username the returns are saved as.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")

    def handle(self, *args, file, round, user, dry_run, **options):
        try:
            book = workbook.read_path(Path(file))
        except workbook.FileRefused as refused:
            raise CommandError(str(refused)) from refused
        round_ = Round.objects.select_related("directorate", "year").filter(pk=round).first()
        if round_ is None:
            raise CommandError(f"There is no monitoring round {round}.")
        saved_by = get_user_model().objects.filter(username=user).first()
        if saved_by is None:
            raise CommandError(f"There is no user {user!r}.")
        preview = round_import_preview(book=book, round_=round_, user=saved_by)
        self.stdout.write("\n".join(preview_lines(preview)))
        if preview.problems:
            raise CommandError(f"{len(preview.problems)} problem(s): nothing imported.")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing imported."))
            return
        try:
            written = round_import_apply(book=book, round_=round_, user=saved_by, fingerprint_=preview.fingerprint)
        except ImportRefused as refused:
            self.stdout.write("\n".join(preview_lines(refused.preview, details=False)))
            raise CommandError(f"{len(refused.preview.problems)} problem(s): nothing imported.") from refused
        except PreviewOutdated as outdated:
            raise CommandError("The returns changed while importing: nothing imported. Run the command again.") from (
                outdated
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {written} return(s) into {round_}."))
