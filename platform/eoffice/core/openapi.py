"""OpenAPI generation (drf-spectacular) for our API conventions."""

from typing import Any

from drf_spectacular import openapi


class AutoSchema(openapi.AutoSchema):
    """OpenAPI components named after their module and view.

    API views keep their serializers nested (`PermohonanApi.InputSerializer`), so bare class
    names would collide across views; `CutiPermohonanInput` does not.
    """

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        cls = serializer.__class__
        if "." not in cls.__qualname__:
            return cls.__name__
        outer = cls.__qualname__.rsplit(".", 1)[0].replace(".", "").lstrip("_").removesuffix("Api")
        module_parts = cls.__module__.split(".")
        app = module_parts[-2] if len(module_parts) > 1 else ""
        return f"{app.capitalize()}{outer}{cls.__name__}"
