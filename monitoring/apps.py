from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "Monitoring rounds"

    def ready(self):
        from monitoring.history import return_sources
        from plans.history import register_source

        register_source(return_sources)  # returns on each plan's history page
