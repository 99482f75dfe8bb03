from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def create_check_policies(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """One PlanCheckPolicy row per registered plan check (not blocking), so that the administrator
    finds every check listed in the admin. Existing rows are left as they are."""
    from plans.checks import CHECKS

    try:
        policy = apps.get_model("plans", "PlanCheckPolicy")
    except LookupError:  # migrating to a state before the model existed
        return
    existing = set(policy.objects.using(using).values_list("code", flat=True))
    policy.objects.using(using).bulk_create([policy(code=code) for code in CHECKS if code not in existing])


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"

    def ready(self):
        post_migrate.connect(create_check_policies, sender=self)
