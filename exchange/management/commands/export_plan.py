import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange import exporter, json_format
from exchange import sheets as registry
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Export a plan: an .xlsx workbook laid out as the import reads it, the versioned JSON format "
        "(kent-plans/plan, version 1), or one table as CSV (--table)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--format", choices=["xlsx", "json", "csv"], default="xlsx")
        parser.add_argument("--table", default="", help="For CSV: the table, for example actions.")
        parser.add_argument(
            "-o", "--output", default="", help="The file to write; JSON and CSV go to stdout without it."
        )

    def handle(self, *args, plan_id, format, table, output, **options):
        try:
            plan = exporter.export_plans().get(pk=plan_id)
        except Plan.DoesNotExist as error:
            raise CommandError(f"There is no plan {plan_id}.") from error
        if format == "xlsx":
            content = exporter.plan_workbook(plan)
        elif format == "json":
            content = (json.dumps(json_format.plan_document(plan), ensure_ascii=False, indent=2) + "\n").encode()
        else:
            if registry.mapping_for(table, template=plan.template) is None:
                names = ", ".join(m.key for m in registry.mappings("plan", plan.template))
                raise CommandError(f"Give --table, one of: {names}.")
            content = exporter.plan_table_csv(plan, table)
        if not output:
            if format == "xlsx":
                raise CommandError("Give -o FILE for a workbook.")
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output} ({len(content):,} bytes): {plan}.")
