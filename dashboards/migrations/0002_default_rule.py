from decimal import Decimal

from django.db import migrations


def add_default_rule(apps, schema_editor):
    """The default roll-up rule as a row, so an administrator finds it and can change it."""
    RollupRule = apps.get_model("dashboards", "RollupRule")
    if not RollupRule.objects.filter(directorate__isnull=True).exists():
        RollupRule.objects.create(
            directorate=None, red_percent=Decimal(10), green_percent=Decimal(100), directorate_method="totals"
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]

    operations = [migrations.RunPython(add_default_rule, migrations.RunPython.noop)]
