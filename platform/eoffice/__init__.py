"""e-Office Nusantara: the kernel every regency runs on."""

from eoffice.celery import app as celery_app

__all__ = ["celery_app"]
