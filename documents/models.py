"""Generated documents (PDFs), cached by the version of their content.

A document is keyed by what it shows: the SHA-256 of its print HTML. Asking again for an
unchanged plan serves the stored file without rendering anything; any edit changes the HTML and
so the key, and the next request builds a new file in the background.
"""

from django.db import models


class GeneratedDocument(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", "Business plan"
        COMMITTEE_REPORT = "committee_report", "Monitoring committee report"
        KPI_DASHBOARD = "kpi_dashboard", "KPI dashboard"

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(
        help_text="The id of the plan, of the round (committee report) or of the unit (KPI dashboard)."
    )
    content_version = models.CharField(max_length=64, help_text="SHA-256 of the print HTML.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "content_version"],
                name="document_once_per_content_version",
                violation_error_message="This document has already been generated for this content.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} ({self.get_status_display()}, {self.content_version[:8]})"
