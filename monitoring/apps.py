from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "Monitoring rounds"

    def ready(self):
        from monitoring.carry_over import carry_over_returns
        from monitoring.history import return_sources
        from plans.history import register_source
        from plans.signals import plan_published

        register_source(return_sources)  # returns on each plan's history page
        plan_published.connect(carry_over_returns, dispatch_uid="monitoring.carry_over_returns")
