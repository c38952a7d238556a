"""Sending notifications (idempotent per recipient, kind and object) and marking them read."""

import pytest

from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.notifications.models import Notifikasi
from eoffice.notifications.selectors import notifikasi_belum_dibaca_count, notifikasi_list_for
from eoffice.notifications.services import (
    notifikasi_kirim,
    notifikasi_tandai_dibaca,
    notifikasi_tandai_semua_dibaca,
)
from modules.kepegawaian.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _kirim(penerima, judul="Permohonan cuti menunggu", objek=None, jenis="cuti.perlu_keputusan"):
    return notifikasi_kirim(
        penerima=penerima, jenis=jenis, judul=judul, tautan="/cuti/persetujuan/", objek=objek
    )


def test_each_recipient_gets_one_notification(di_sumedang):
    # given two users, one listed twice
    a, b = UserFactory(), UserFactory()

    # when
    dibuat = _kirim([a, b, a], judul="  Draf KGB siap  ")

    # then
    assert [(n.penerima_id, n.judul, n.tautan, n.dibaca_pada) for n in dibuat] == [
        (a.pk, "Draf KGB siap", "/cuti/persetujuan/", None),
        (b.pk, "Draf KGB siap", "/cuti/persetujuan/", None),
    ]
    assert Notifikasi.objects.filter(penerima__in=[a, b]).count() == 2


def test_same_kind_about_the_same_object_is_sent_once_per_recipient(di_sumedang):
    # given a notification about an object (any model row; here a user account)
    a, b, objek = UserFactory(), UserFactory(), UserFactory()
    _kirim([a], objek=objek)

    # when the producer runs again, now also for b, and once with another kind
    lagi = _kirim([a, b], objek=objek)
    lain = _kirim([a], objek=objek, jenis="cuti.disetujui")

    # then a got nothing new of the first kind; b got its first
    assert [n.penerima_id for n in lagi] == [b.pk]
    assert [n.jenis for n in lain] == ["cuti.disetujui"]
    assert list(
        Notifikasi.objects.filter(penerima=a).order_by("id").values_list("jenis", "objek_tipe", "objek_id")
    ) == [
        ("cuti.perlu_keputusan", "accounts.user", str(objek.pk)),
        ("cuti.disetujui", "accounts.user", str(objek.pk)),
    ]


def test_without_an_object_every_send_is_new(di_sumedang):
    a = UserFactory()
    _kirim([a])
    _kirim([a])
    assert Notifikasi.objects.filter(penerima=a).count() == 2


def test_inactive_users_are_skipped(di_sumedang):
    aktif, nonaktif = UserFactory(), UserFactory(is_active=False)
    assert [n.penerima_id for n in _kirim([aktif, nonaktif])] == [aktif.pk]
    assert not Notifikasi.objects.filter(penerima=nonaktif).exists()


@pytest.mark.parametrize("tautan", ["https://contoh.com/", "//contoh.com/x", "cuti/", "/\\contoh.com"])
def test_links_leaving_the_site_are_refused(di_sumedang, tautan):
    a = UserFactory()
    with pytest.raises(ApplicationError) as exc:
        notifikasi_kirim(penerima=[a], jenis="uji", judul="Uji", tautan=tautan)
    assert exc.value.fields == {"tautan": ["Isi alamat halaman yang diawali /."]}
    assert not Notifikasi.objects.filter(penerima=a).exists()


def test_marking_read_is_own_only_and_keeps_the_first_time(di_sumedang):
    # given a's notification
    a, b = UserFactory(), UserFactory()
    [n] = _kirim([a])

    # when b tries to mark it: not found, nothing changed
    with pytest.raises(ApplicationError) as exc:
        notifikasi_tandai_dibaca(user=b, notifikasi_id=n.pk)
    assert (exc.value.status, exc.value.code) == (404, "not_found")
    assert Notifikasi.objects.get(pk=n.pk).dibaca_pada is None

    # when a marks it twice
    pertama = notifikasi_tandai_dibaca(user=a, notifikasi_id=n.pk).dibaca_pada
    kedua = notifikasi_tandai_dibaca(user=a, notifikasi_id=n.pk).dibaca_pada

    # then it is read, at the first time
    assert pertama is not None
    assert kedua == pertama
    assert notifikasi_belum_dibaca_count(user=a) == 0


def test_mark_all_read_touches_only_the_users_own(di_sumedang):
    a, b = UserFactory(), UserFactory()
    _kirim([a, b])
    _kirim([a, b])
    _kirim([a])

    assert notifikasi_tandai_semua_dibaca(user=a) == 3
    assert notifikasi_tandai_semua_dibaca(user=a) == 0
    assert (notifikasi_belum_dibaca_count(user=a), notifikasi_belum_dibaca_count(user=b)) == (0, 2)


def test_list_is_own_newest_first(di_sumedang):
    a, b = UserFactory(), UserFactory()
    _kirim([a], judul="Pertama")
    _kirim([b], judul="Milik b")
    _kirim([a], judul="Kedua")
    assert [n.judul for n in notifikasi_list_for(user=a)] == ["Kedua", "Pertama"]


def test_sending_writes_no_audit_rows(di_sumedang):
    a = UserFactory()
    before = AuditEvent.objects.count()
    _kirim([a])
    assert AuditEvent.objects.count() == before
