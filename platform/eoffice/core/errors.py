"""The one application error type. Services raise it; views and the API turn it into a 4xx."""

from typing import Any

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A request that cannot be honoured, told in the user's language.

    `fields` maps an input field to its messages, so a form or API client can show each
    problem next to the field that caused it.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status: int = 400,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status
        self.extra = extra or {}

    @classmethod
    def from_validation(cls, exc: ValidationError, *, message: str | None = None) -> "ApplicationError":
        """A model's `full_clean()` refusal, field by field; the message is the first field's
        unless given."""
        if hasattr(exc, "error_dict"):
            fields = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
        else:
            fields = {"non_field_errors": [str(m) for m in exc.messages]}
        first = next(iter(fields.values()))[0] if fields else str(exc)
        return cls(message or first, fields=fields)

    def add_to_form(self, form: Any, field_map: dict[str, str] | None = None) -> None:
        """Show this refusal on a Django form, the user's input kept: each field's messages next
        to that field (a service's name for it mapped by `field_map`), messages for fields the
        form does not have on top, and the message on top when no field is named."""
        for field, messages in self.fields.items():
            name = (field_map or {}).get(field, field)
            form.add_error(name if name in form.fields else None, messages)
        if not self.fields:
            form.add_error(None, self.message)


def clean_or_refuse(instance: Any, *, message: str | None = None, **options: Any) -> None:
    """`instance.full_clean(**options)`, a refusal raised as the application error, field by
    field (the message is the first field's unless given)."""
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        raise ApplicationError.from_validation(exc, message=message) from exc
