"""API conventions: one error body everywhere, pagination, the JSON 404 for unknown paths, and
serializers shared by the requests of a process where a hot endpoint needs them.

Every 4xx/5xx from `/api/` looks like `{"error": {"code", "message", "fields"}}`.
"""

import functools
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from eoffice.core.errors import ApplicationError

_S = TypeVar("_S", bound=serializers.Serializer)


class ErrorOutput(serializers.Serializer):
    """The error body, as the OpenAPI schema shows it on every operation (eoffice.core.openapi)."""

    class Detail(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        # The body's key is "fields"; DRF's metaclass moves declared fields off the class, so
        # this does not shadow `Serializer.fields` at run time (only the type checker sees it).
        fields = serializers.DictField(  # type: ignore[assignment]
            child=serializers.ListField(child=serializers.CharField())
        )

    error = Detail()


@functools.cache
def shared_serializer(cls: type[_S]) -> _S:
    """One instance of `cls` per process, its fields built once and used by every request, as
    DRF uses one child serializer for every item of a list: `run_validation(data)` and
    `to_representation(instance)` keep no state on the instance, and take the request's time
    zone and language when they run. Only for serializers that read no context (no request, no
    view). DRF deep-copies the declared fields for every new instance, which cost the check-in,
    the busiest request of the morning, more CPU than its two SQL statements (bench/README.md)."""
    return cls()


def error_body(*, code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(
    *, code: str, message: str, status: int, fields: dict[str, Any] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(code=code, message=message, fields=fields), status=status)


def _flatten_fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {
            key: _flatten_fields(value)
            if isinstance(value, dict)
            else [str(item) for item in _as_list(value)]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in _as_list(detail)]}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler producing the one error body."""
    if isinstance(exc, ApplicationError):
        return Response(
            error_body(code=exc.code, message=exc.message, fields=exc.fields),
            status=exc.status,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            code="invalid",
            message=_("Data yang dikirim tidak valid. Periksa isian yang ditandai."),
            fields=_flatten_fields(exc.detail),
        )
    else:
        assert isinstance(exc, exceptions.APIException)
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else str(exc.default_detail)
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(code=str(code), message=message)
    response.data = body
    return response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return error_response(
        code="not_found",
        message=_("Alamat API tidak ditemukan: %(path)s") % {"path": request.path},
        status=status.HTTP_404_NOT_FOUND,
    )
