"""System checks for what the set-up (make run / make test) must provide."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def govuk_assets_built(app_configs, **kwargs):
    base = Path(settings.BASE_DIR)
    missing = [
        path
        for path in (
            base / "static/build/app.css",
            base / "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js",
        )
        if not path.exists()
    ]
    return [
        Error(
            f"GOV.UK Frontend assets are missing: {path.relative_to(base)}.",
            hint="Run `make setup` (npm ci and npm run build) to install and build them.",
            id="common.E001",
        )
        for path in missing
    ]


@register()
def weasyprint_importable(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return [
            Error(
                f"WeasyPrint cannot be loaded: {error}",
                hint="PDFs need WeasyPrint and the Pango library (Debian package libpango-1.0-0).",
                id="common.E002",
            )
        ]
    return []
