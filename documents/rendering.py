"""HTML to accessible PDF with WeasyPrint: tagged PDF/UA-1, language and metadata from the HTML.

Static files (the print stylesheet) are read from disk through Django's finders, never over HTTP,
so rendering works in a background worker with no web server, and a document never reaches
out to the network.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:/"


class StaticFilesFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            relative = url[len(STATIC_PREFIX) :].lstrip("/")
            path = finders.find(relative)
            if path is None:
                raise ValueError(f"Static file not found for the PDF: {relative}")
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=Path(path).read_bytes(), headers={"Content-Type": mime})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"PDFs fetch only static files, not {url}")


def render_pdf(html: str) -> tuple[bytes, int]:
    """Returns the PDF bytes and its page count."""
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticFilesFetcher()).render()
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
    return pdf, len(document.pages)


def print_stylesheet_url() -> str:
    return f"{STATIC_PREFIX}css/print.css"
