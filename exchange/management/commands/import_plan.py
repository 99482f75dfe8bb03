from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.years import parse_financial_year
from exchange import workbook
from exchange.importer import ImportRefused, PreviewOutdated, Target, plan_import_apply, plan_import_preview
from exchange.report import preview_lines


class Command(BaseCommand):
    help = (
        "Import a plan from a workbook (.xlsx), a CSV file holding one table, or a Kent Plans JSON export. Prints "
        "what would be added, changed and left alone, and every rejected row; then writes all of it or nothing. "
        "Importing the same file again changes nothing. Without --plan, the plan is named by --unit, --year and "
        "--version (or the file's Plan sheet): a draft of that name is imported into, otherwise a new draft is made."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the plan's version label here, in place of Django's own --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx, .csv or .json file.")
        parser.add_argument("--plan", type=int, help="Import into this existing draft plan (its id).")
        parser.add_argument("--unit", default="", help="The unit's code, for example LDMH.")
        parser.add_argument("--year", default="", help="The financial year, for example 2013-14.")
        parser.add_argument("--version", default="", help="The version label, for example 'Draft v 1'.")
        parser.add_argument("--template", default="", help="The template of a new plan, if the Plan sheet has none.")
        parser.add_argument("--table", default="", help="For a CSV file: the table it holds, for example actions.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")

    def handle(self, *args, file, plan, unit, year, version, template, table, dry_run, **options):
        try:
            book = workbook.read_path(Path(file))
        except workbook.FileRefused as refused:
            raise CommandError(str(refused)) from refused
        try:
            start_year = parse_financial_year(year) if year else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        target = Target(
            plan_id=plan, unit_code=unit.strip(), year=start_year, version_label=version.strip(), template_slug=template
        )
        preview = plan_import_preview(book=book, target=target, table=table or None)
        self.stdout.write("\n".join(preview_lines(preview)))
        if preview.problems:
            raise CommandError(f"{len(preview.problems)} problem(s): nothing imported.")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing imported."))
            return
        try:
            imported = plan_import_apply(book=book, target=target, table=table or None, fingerprint=preview.fingerprint)
        except (ImportRefused, PreviewOutdated) as error:
            self.stdout.write("\n".join(preview_lines(error.preview, details=False)))
            raise CommandError("The plan changed while importing: nothing imported. Run the command again.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {preview.change_count} row(s) into plan {imported.pk}: {imported.unit.code} {imported.year} "
                f"“{imported.version_label}”."
            )
        )
