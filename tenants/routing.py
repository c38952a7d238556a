"""Host → tenant lookup that costs no query when warm.

Each process keeps a map of host name to tenant. A generation number in the shared cache is
bumped whenever a tenant or domain changes; a process re-reads it at most once per
TENANT_ROUTING_CHECK_SECONDS and drops its map when it moved. Unknown hosts are remembered too,
so a flood of made-up hosts cannot turn into a flood of queries.
"""

import threading
import time
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from eoffice.core.db import connection

if TYPE_CHECKING:
    from tenants.models import Tenant

_GENERATION_KEY = "tenants:routing-generation"


def _shared_cache() -> BaseCache:
    # The platform-wide cache: the same key whichever schema the connection is on.
    return caches["platform"]


class HostTenantMap:
    def __init__(self) -> None:
        self._tenants: dict[str, Tenant | None] = {}
        self._generation: str | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def tenant_for_host(self, hostname: str) -> "Tenant | None":
        self._revalidate()
        try:
            return self._tenants[hostname]
        except KeyError:
            pass
        tenant = self._load(hostname)
        with self._lock:
            self._tenants[hostname] = tenant
        return tenant

    def clear(self) -> None:
        with self._lock:
            self._tenants = {}
            self._generation = None
            self._checked_at = 0.0

    def _revalidate(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < settings.TENANT_ROUTING_CHECK_SECONDS and self._generation is not None:
            return
        cache = _shared_cache()
        generation = cache.get(_GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            cache.add(_GENERATION_KEY, generation, timeout=None)
            generation = cache.get(_GENERATION_KEY, generation)
        with self._lock:
            if generation != self._generation:
                self._tenants = {}
                self._generation = generation
            self._checked_at = now

    @staticmethod
    def _load(hostname: str) -> "Tenant | None":
        from tenants.models import Domain

        connection.set_schema_to_public()
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            return None
        tenant = domain.tenant
        tenant.domain_url = hostname
        return tenant


hosts = HostTenantMap()


def invalidate() -> None:
    """Make every process forget its host map (tenant or domain changed)."""
    _shared_cache().set(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    hosts.clear()
