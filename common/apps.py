from django.apps import AppConfig


class CommonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
    verbose_name = "Common vocabulary"

    def ready(self):
        from common import cache, checks  # noqa: F401  (checks registers the system checks)

        cache.connect_signals()
