"""Fixtures for the whole suite: a real PostgreSQL with the demo regencies created once."""

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from tenants import routing
from tenants.models import Tenant


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The test database, always (also when a run selects only tests that reach the database
    through a live server or a worker), plus the platform tenant, an operator and Sumedang and
    Kendari with an admin and an employee each, created once through the same path as `make run`."""
    from django.test.utils import setup_databases, teardown_databases

    from tenants.demo import demo_seed

    with django_db_blocker.unblock():
        db_config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases={"default"},
            serialized_aliases=set(),
        )
        demo_seed()
    yield
    with django_db_blocker.unblock():
        _disconnect_other_sessions()
        teardown_databases(db_config, verbosity=request.config.option.verbose)


def _disconnect_other_sessions() -> None:
    """End connections that live-server threads or worker processes left open on the test
    database, which would otherwise block dropping it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _public_schema_and_fresh_routing(django_db_setup) -> Iterator[None]:
    # Each test starts on the public schema with an empty host map and empty caches: a test's
    # rolled-back transaction must not leave a cached tenant, session or sign-in rate limit
    # (allauth counts failed sign-ins in the cache) behind for the next one.
    connection.set_schema_to_public()
    routing.invalidate()
    for cache in caches.all():
        cache.clear()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def sumedang(db) -> Tenant:
    return Tenant.objects.get(schema_name="sumedang")


@pytest.fixture
def kendari(db) -> Tenant:
    return Tenant.objects.get(schema_name="kendari")


@pytest.fixture
def platform_tenant(db) -> Tenant:
    return Tenant.objects.get(schema_name="public")


def host_client(tenant: Tenant, **defaults) -> Client:
    """A test client whose requests go to the tenant's primary host."""
    return Client(HTTP_HOST=tenant.get_primary_domain().domain, **defaults)


@pytest.fixture
def client_for():
    return host_client
