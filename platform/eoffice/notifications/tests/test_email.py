"""The e-mail copy: queued after commit, sent once by a task in the sender's schema."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from eoffice.core.db import connection
from eoffice.notifications.models import Notifikasi
from eoffice.notifications.services import notifikasi_email_kirim, notifikasi_kirim
from modules.kepegawaian.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_sent_after_commit_to_the_recipient(
    di_sumedang, email_langsung, django_capture_on_commit_callbacks
):
    # given a recipient with an address
    user = UserFactory(nama="Rina Marlina", email="rina@sumedangkab.go.id")

    # when sending, nothing is queued until the transaction commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [n] = notifikasi_kirim(
            penerima=[user],
            jenis="cuti.disetujui",
            judul="Permohonan cuti tahunan Anda disetujui",
            isi="Nomor surat cuti 800.1.11.4/7/CUTI/2026.",
            tautan="/cuti/",
        )
        assert (email_langsung, mail.outbox) == ([], [])

    # then one task ran, in Sumedang's schema, and mailed once
    assert len(callbacks) == 1
    assert email_langsung == [{"notifikasi_id": n.pk}]
    assert connection.schema_name == "sumedang"
    [email] = mail.outbox
    assert email.to == ["rina@sumedangkab.go.id"]
    assert email.subject == "[Kabupaten Sumedang] Permohonan cuti tahunan Anda disetujui"
    assert email.body == (
        "Yth. Rina Marlina,\n\n"
        "Permohonan cuti tahunan Anda disetujui\n\n"
        "Nomor surat cuti 800.1.11.4/7/CUTI/2026.\n\n"
        f"Buka: http://{di_sumedang.get_primary_domain().domain}/cuti/\n\n"
        "Pesan ini dikirim otomatis oleh e-Office Kabupaten Sumedang; jangan dibalas."
    )
    assert Notifikasi.objects.get(pk=n.pk).email_dikirim_pada is not None


def test_a_repeated_task_does_not_mail_twice(di_sumedang):
    user = UserFactory()
    [n] = notifikasi_kirim(penerima=[user], jenis="uji", judul="Uji")

    assert notifikasi_email_kirim(notifikasi_id=n.pk) is True
    assert notifikasi_email_kirim(notifikasi_id=n.pk) is False
    assert notifikasi_email_kirim(notifikasi_id=n.pk + 1_000_000) is False
    assert len(mail.outbox) == 1


def test_no_email_is_queued_without_an_address(
    di_sumedang, email_langsung, django_capture_on_commit_callbacks
):
    tanpa_email = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifikasi_kirim(penerima=[tanpa_email], jenis="uji", judul="Uji")
    assert (callbacks, email_langsung, mail.outbox) == ([], [], [])
    assert Notifikasi.objects.filter(penerima=tanpa_email).count() == 1


def test_a_worker_on_the_public_schema_sends_in_the_regency_that_queued_it(
    sumedang, monkeypatch, django_capture_on_commit_callbacks
):
    from tenant_schemas_celery.task import headers_with_schema

    from eoffice.notifications import tasks

    # given a notification sent in Sumedang; the queued message keeps its headers
    pesan = []
    monkeypatch.setattr(
        tasks.notifikasi_email_task, "delay", lambda **kwargs: pesan.append((kwargs, headers_with_schema({})))
    )
    with schema_context(sumedang.schema_name):
        user = UserFactory(email="budi@sumedangkab.go.id")
        with django_capture_on_commit_callbacks(execute=True):
            [n] = notifikasi_kirim(penerima=[user], jenis="uji", judul="Uji lintas proses")

    # when a worker that starts on the public schema runs it
    connection.set_schema_to_public()
    [(kwargs, headers)] = pesan
    hasil = tasks.notifikasi_email_task.apply(kwargs=kwargs, headers=headers).get()

    # then it ran in Sumedang's schema and went back to public
    assert headers == {"_schema_name": "sumedang"}
    assert hasil is True
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["budi@sumedangkab.go.id"], "[Kabupaten Sumedang] Uji lintas proses")
    ]
    assert connection.schema_name == "public"
    with schema_context(sumedang.schema_name):
        assert Notifikasi.objects.get(pk=n.pk).email_dikirim_pada is not None


def test_an_unreachable_broker_does_not_fail_the_committed_change(
    di_sumedang, monkeypatch, django_capture_on_commit_callbacks
):
    from eoffice.notifications import tasks

    def broker_down(**kwargs):
        raise ConnectionError("broker tidak terjangkau")

    monkeypatch.setattr(tasks.notifikasi_email_task, "delay", broker_down)
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifikasi_kirim(penerima=[user], jenis="uji", judul="Tetap tersimpan")

    assert len(callbacks) == 1
    assert Notifikasi.objects.filter(penerima=user, judul="Tetap tersimpan").count() == 1
    assert mail.outbox == []
