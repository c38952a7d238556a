"""PDF from HTML (WeasyPrint) for letters and reports. The URL fetcher reaches only our own static
files: a document never fetches anything from the network or the local disk beyond them."""

from typing import Any

from django.contrib.staticfiles import finders

STATIC_PREFIX = "file:///static/"


def _url_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    from weasyprint.urls import default_url_fetcher

    if url.startswith(STATIC_PREFIX):
        path = finders.find(url.removeprefix(STATIC_PREFIX))
        if isinstance(path, str):
            return default_url_fetcher("file://" + path)
    raise ValueError(f"Blocked URL in PDF: {url}")


def html_to_pdf(html: str) -> bytes:
    """Render a whole HTML document (with its own @page CSS) to PDF bytes. Reference static files
    as `/static/<path>`."""
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///", url_fetcher=_url_fetcher).write_pdf()
