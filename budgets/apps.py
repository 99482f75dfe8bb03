from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def create_column_sets(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """The column sets of the seed templates (column_sets.py), so that every database has them.
    Existing column sets are left as they are."""
    from budgets.column_sets import create_standard_column_sets

    try:
        column_set, column = apps.get_model("budgets", "ColumnSet"), apps.get_model("budgets", "Column")
    except LookupError:  # migrating to a state before the models existed
        return
    create_standard_column_sets(column_set, column, using=using)


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = "Budgets and resources"

    def ready(self):
        from budgets.services import copy_into_new_version
        from plans.signals import plan_version_started

        post_migrate.connect(create_column_sets, sender=self)
        plan_version_started.connect(copy_into_new_version, dispatch_uid="budgets.copy_into_new_version")
