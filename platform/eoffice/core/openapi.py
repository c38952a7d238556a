"""OpenAPI generation (drf-spectacular) for our API conventions."""

from typing import Any

from drf_spectacular import openapi

# The error answers every operation may give, with the one error body (eoffice.core.api).
_ERRORS_EVERY_OPERATION = {"403": "Not signed in, or not allowed"}
_ERRORS_OF_WRITES = {"400": "Invalid input: `fields` names each field and what is wrong"}
_ERRORS_WITH_PATH_PARAMETERS = {"404": "No such object in this regency, or not visible to you"}


class AutoSchema(openapi.AutoSchema):
    """OpenAPI components named after their module and view, and the error responses.

    API views keep their serializers nested (`PermohonanApi.InputSerializer`), so bare class
    names would collide across views; `CutiPermohonanInput` does not. Every operation lists the
    4xx answers it can give with the error body, unless the view declares its own.
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        from eoffice.core.api import ErrorOutput

        responses = super()._get_response_bodies(direction)
        errors = dict(_ERRORS_EVERY_OPERATION)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(_ERRORS_OF_WRITES)
        if "{" in self.path:
            errors.update(_ERRORS_WITH_PATH_PARAMETERS)
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorOutput, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        cls = serializer.__class__
        if "." not in cls.__qualname__:
            return cls.__name__
        outer = cls.__qualname__.rsplit(".", 1)[0].replace(".", "").lstrip("_").removesuffix("Api")
        module_parts = cls.__module__.split(".")
        app = module_parts[-2] if len(module_parts) > 1 else ""
        return f"{app.capitalize()}{outer}{cls.__name__}"
