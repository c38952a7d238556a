import pytest
from django_tenants.utils import schema_context

from eoffice.notifications import tasks


@pytest.fixture
def di_sumedang(sumedang):
    """The test body runs in Sumedang's schema."""
    with schema_context(sumedang.schema_name):
        yield sumedang


@pytest.fixture
def email_langsung(monkeypatch):
    """Queued e-mail tasks run at once, in the schema they were sent from (as a worker would)."""
    terkirim: list[dict] = []

    def delay(**kwargs):
        terkirim.append(kwargs)
        return tasks.notifikasi_email_task.apply(kwargs=kwargs)

    monkeypatch.setattr(tasks.notifikasi_email_task, "delay", delay)
    return terkirim
