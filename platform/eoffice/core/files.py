"""Files of a regency: always under `tenants/<schema>/` in storage, served only on its own host.

Django's storage API (local files or S3) holds every regency's files in one place; the prefix is
what keeps them apart, so every upload path and every download goes through here.
"""

import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from eoffice.core.db import connection


def tenant_prefix(schema_name: str | None = None) -> str:
    """`tenants/<schema>/` of the given schema, else of the active one."""
    return f"tenants/{schema_name or connection.schema_name}/"


def tenant_path(*parts: str) -> str:
    """A storage path under the active regency's prefix: `tenant_path("cuti", "x.pdf")`."""
    return tenant_prefix() + "/".join(parts)


def tenant_attachment_path(module: str, filename: str) -> str:
    """An uploaded attachment of a module, renamed so nothing the user typed reaches storage."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return tenant_path(module, "lampiran", f"{uuid.uuid4().hex}.{suffix}")


def tenant_file_response(
    request: HttpRequest, name: str, *, as_attachment: bool = True, content_type: str | None = None
) -> FileResponse:
    """Serve a stored file of this host's regency; anything else is a 404."""
    if not name or not name.startswith(tenant_prefix(request.tenant.schema_name)):  # type: ignore[attr-defined]
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=as_attachment,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
