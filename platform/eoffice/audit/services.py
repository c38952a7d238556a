from typing import Any

import structlog
from django.db import models

from eoffice.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record a change in the current schema. Call inside the transaction that makes the change."""
    request_id = structlog.contextvars.get_contextvars().get("request_id", "")
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor=str(actor) if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target=str(target)[:255],
        before=before,
        after=after,
        reason=reason,
        request_id=request_id,
    )
