"""django-tenants' PostgreSQL backend, minus the redundant `SET search_path`.

django-tenants forgets the search path on every `set_tenant()`, so each request pays one
`SET search_path` even when its persistent connection already points at that schema. Here a
switch to the schema the connection already uses keeps the path; a real switch, a new
connection or a rollback (which undoes a `SET`) still sets it again.
"""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        if self.schema_name == tenant.schema_name and self.include_public_schema == include_public:
            # Same schema: keep the path already set (or still to be set by the next cursor) and
            # the ContentType cache, which only goes stale when the schema changes.
            self.tenant = tenant
            return
        super().set_tenant(tenant, include_public)
