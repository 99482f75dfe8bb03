"""System checks for what the set-up (make run / make test) must provide."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


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


@register(deploy=True)
def shared_cache(app_configs, **kwargs):
    """Cached pages and sessions must live in one cache that every worker and server reads."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "The cache is each process's own memory: with several workers or servers, a change seen "
                "by one would not reach the pages cached by the others, nor a sign-out their sessions.",
                hint="Set CACHE_URL to a Redis server shared by every app server (redis://host:6379/1).",
                id="common.W001",
            )
        ]
    return []
