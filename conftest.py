"""Fixtures for the whole suite: a real PostgreSQL with the demo regencies created once."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from tenants import routing
from tenants.models import Tenant


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: PT004
    """The test database, plus the platform tenant, an operator and Sumedang and Kendari with
    an admin and an employee each, created once through the same path as `make run`."""
    from tenants.demo import demo_seed

    with django_db_blocker.unblock():
        demo_seed()


@pytest.fixture(autouse=True)
def _public_schema_and_fresh_routing() -> Iterator[None]:
    # Each test starts on the public schema with an empty host map: a test's rolled-back
    # transaction must not leave a cached tenant behind for the next one.
    connection.set_schema_to_public()
    routing.invalidate()
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
