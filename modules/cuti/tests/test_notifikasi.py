"""Cuti notifications: a new request reaches the approver of the current level, each decision
reaches the employee, and approval at level 1 of a two-level leave reaches the next level."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from eoffice.core.errors import ApplicationError
from eoffice.notifications import tasks
from eoffice.notifications.models import Notifikasi
from modules.cuti.services import cuti_ajukan, cuti_putus
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.tests.conftest import user_for

D = datetime.date


def _notif(user):
    return list(
        Notifikasi.objects.filter(penerima=user).order_by("id").values_list("jenis", "judul", "tautan")
    )


def _ajukan_tahunan(kantor):
    # Mon 14 – Tue 15 Dec 2026: 2 working days of the 4 left after cuti bersama
    return cuti_ajukan(
        user=kantor.user, jenis="CT", mulai=D(2026, 12, 14), selesai=D(2026, 12, 15), alasan="Urusan keluarga"
    )


def test_new_request_notifies_the_superior(kantor):
    p = _ajukan_tahunan(kantor)

    [n] = Notifikasi.objects.filter(penerima=kantor.kepala_user)
    assert (n.jenis, n.judul, n.isi, n.tautan, n.objek_tipe, n.objek_id) == (
        "cuti.perlu_keputusan",
        f"Permohonan cuti tahunan dari {kantor.pegawai.nama_lengkap} menunggu keputusan Anda",
        "Cuti tahunan 14 Desember 2026 s.d. 15 Desember 2026 (2 hari). Alasan: Urusan keluarga",
        "/cuti/persetujuan/",
        "cuti.permohonancuti",
        str(p.pk),
    )
    assert _notif(kantor.user) == []


def test_approval_notifies_the_employee_with_the_letter_number(kantor):
    p = _ajukan_tahunan(kantor)

    cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True, catatan="Selamat berlibur")

    [n] = Notifikasi.objects.filter(penerima=kantor.user)
    assert (n.jenis, n.judul, n.isi, n.tautan) == (
        "cuti.disetujui",
        "Permohonan cuti tahunan Anda 14 Desember 2026 s.d. 15 Desember 2026 disetujui",
        f"Nomor surat cuti 800.1.11.4/{p.pk}/CUTI/2026. Catatan: Selamat berlibur",
        "/cuti/",
    )


def test_rejection_notifies_the_employee_with_the_note(kantor):
    p = _ajukan_tahunan(kantor)

    cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=False, catatan="Sedang audit akhir tahun")

    [n] = Notifikasi.objects.filter(penerima=kantor.user)
    assert (n.jenis, n.judul, n.isi) == (
        "cuti.ditolak",
        "Permohonan cuti tahunan Anda 14 Desember 2026 s.d. 15 Desember 2026 ditolak",
        "Catatan: Sedang audit akhir tahun",
    )


def test_two_level_leave_notifies_each_level_in_turn(kantor):
    # given a staff member of a bidang: the kabid decides first, then the kepala dinas
    bidang = UnitFactory(nama="Bidang Aplikasi", parent=kantor.unit)
    kabid = PegawaiFactory(unit=bidang, jabatan=JabatanFactory(unit=bidang, is_kepala_unit=True))
    staf = PegawaiFactory(unit=bidang, tmt_cpns=D(2010, 1, 1))
    kabid_user, staf_user = user_for(kabid), user_for(staf)

    # when the request is made: only the kabid is told
    p = cuti_ajukan(user=staf_user, jenis="CB", mulai=D(2027, 1, 4), selesai=D(2027, 2, 28), alasan="Ibadah")
    assert [j for j, _, _ in _notif(kabid_user)] == ["cuti.perlu_keputusan"]
    assert _notif(kantor.kepala_user) == []

    # when the kabid approves: the employee and the kepala dinas are told
    cuti_putus(user=kabid_user, permohonan=p, setuju=True)
    assert _notif(staf_user) == [
        (
            "cuti.disetujui_atasan",
            "Permohonan cuti besar Anda disetujui atasan, menunggu pejabat berwenang",
            "/cuti/",
        )
    ]
    [n] = Notifikasi.objects.filter(penerima=kantor.kepala_user)
    assert (n.jenis, n.judul, n.tautan) == (
        "cuti.perlu_keputusan",
        f"Permohonan cuti besar dari {staf.nama_lengkap} menunggu keputusan Anda",
        "/cuti/persetujuan/",
    )
    assert n.isi.startswith(
        "Sudah disetujui atasan langsung; menunggu keputusan Anda sebagai pejabat berwenang."
    )

    # when the kepala dinas approves: the employee is told; nobody is asked again
    cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    assert [j for j, _, _ in _notif(staf_user)] == ["cuti.disetujui_atasan", "cuti.disetujui"]
    assert Notifikasi.objects.filter(jenis="cuti.perlu_keputusan", objek_id=str(p.pk)).count() == 2


def test_refused_decision_notifies_nobody(kantor):
    # given a request; someone who is not its approver tries to decide
    p = _ajukan_tahunan(kantor)
    before = Notifikasi.objects.count()

    with pytest.raises(ApplicationError):
        cuti_putus(user=kantor.user, permohonan=p, setuju=True)

    assert Notifikasi.objects.count() == before
    assert _notif(kantor.user) == []


def test_request_is_mailed_to_the_superior_after_commit(
    kantor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        tasks.notifikasi_email_task, "delay", lambda **kw: tasks.notifikasi_email_task.apply(kwargs=kw)
    )

    with django_capture_on_commit_callbacks(execute=True):
        _ajukan_tahunan(kantor)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [kantor.kepala_user.email],
            f"[Kabupaten Sumedang] Permohonan cuti tahunan dari {kantor.pegawai.nama_lengkap} menunggu keputusan Anda",
        )
    ]


def test_texts_are_in_the_regencys_language_whatever_the_actor_uses(kantor):
    # given an employee whose screen is in English (the regency's language is Indonesian)
    with translation.override("en"):
        _ajukan_tahunan(kantor)

    [n] = Notifikasi.objects.filter(penerima=kantor.kepala_user)
    assert n.isi == "Cuti tahunan 14 Desember 2026 s.d. 15 Desember 2026 (2 hari). Alasan: Urusan keluarga"
