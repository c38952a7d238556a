"""KGB notifications: the draft at T−120 and the alert at T−60 reach the admins who manage the
employee's unit once, however often the daily job runs; the issued letter reaches the employee."""

import datetime

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.notifications import tasks
from eoffice.notifications.models import Notifikasi
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory, UserFactory
from modules.kgb.models import Kgb
from modules.kgb.selectors import rencana_list
from modules.kgb.services import kgb_draf_buat, kgb_pengingat_jalankan, kgb_terbitkan

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(sumedang):
    """An employee in a bidang under a dinas; an admin OPD over the dinas, one over another
    dinas, a pimpinan over the dinas (sees, does not manage), and the regency's admin pemda."""
    with schema_context(sumedang.schema_name):
        dinas = UnitFactory(nama="Dinas Pendidikan")
        bidang = UnitFactory(nama="Bidang SD", parent=dinas)
        lain = UnitFactory(nama="Dinas Kesehatan")
        # III/a, MKG 0 on 1 Apr 2022: KGB TMT 1 Apr 2024 (T−120 = 3 Dec 2023, T−60 = 1 Feb 2024)
        pegawai = PegawaiFactory(
            nama="Siti Aminah",
            unit=bidang,
            golongan="III/a",
            tmt_golongan=D(2022, 4, 1),
            mkg_tahun=0,
            mkg_bulan=0,
        )
        opd = UserFactory(username="admin.disdik", peran=User.Peran.ADMIN_OPD)
        opd_lain = UserFactory(username="admin.dinkes", peran=User.Peran.ADMIN_OPD)
        pimpinan = UserFactory(username="kadisdik", peran=User.Peran.PIMPINAN)
        AksesUnit.objects.create(user=opd, unit=dinas)
        AksesUnit.objects.create(user=opd_lain, unit=lain)
        AksesUnit.objects.create(user=pimpinan, unit=dinas)
        pemda = set(
            User.objects.filter(peran=User.Peran.ADMIN_PEMDA, is_active=True).values_list(
                "username", flat=True
            )
        )
        yield {
            "pegawai": pegawai,
            "opd": opd,
            "pemda": pemda,
            "admin": User.objects.get(username="admin.sumedang"),
        }


def _penerima(kgb, jenis):
    return sorted(
        Notifikasi.objects.filter(jenis=jenis, objek_tipe="kgb.kgb", objek_id=str(kgb.pk)).values_list(
            "penerima__username", flat=True
        )
    )


def test_draft_notifies_the_managing_admins_once_across_two_runs(dunia):
    # given the "admin.sumedang" admin pemda and the admin OPD over the dinas
    expected = sorted({*dunia["pemda"], "admin.disdik"})
    assert "admin.sumedang" in expected

    # when the daily job runs on T−120 and again the next day
    kgb_pengingat_jalankan(hari_ini=D(2023, 12, 3))
    kgb_pengingat_jalankan(hari_ini=D(2023, 12, 4))

    # then each manager has exactly one draft notification about it; nobody else has any
    kgb = Kgb.objects.get(pegawai=dunia["pegawai"])
    assert _penerima(kgb, "kgb.draf") == expected
    n = Notifikasi.objects.get(jenis="kgb.draf", objek_id=str(kgb.pk), penerima=dunia["opd"])
    assert n.judul == "Draf surat pemberitahuan KGB Siti Aminah TMT 1 April 2024 siap diperiksa"
    assert n.isi == (
        f"KGB Siti Aminah (NIP {dunia['pegawai'].nip_display}) jatuh pada 1 April 2024. Periksa drafnya, lalu "
        "terbitkan atau tunda paling lambat 60 hari sebelum TMT."
    )
    assert n.tautan == f"/kgb/{kgb.pk}/"


def test_alert_at_t_minus_60_notifies_once_with_the_name_and_tmt(dunia):
    # given a draft made at T−120
    kgb_pengingat_jalankan(hari_ini=D(2023, 12, 3))
    kgb = Kgb.objects.get(pegawai=dunia["pegawai"])

    # when the job runs the day before T−60, on it, and after it
    kgb_pengingat_jalankan(hari_ini=D(2024, 1, 31))
    before = _penerima(kgb, "kgb.peringatan_t60")
    kgb_pengingat_jalankan(hari_ini=D(2024, 2, 1))
    kgb_pengingat_jalankan(hari_ini=D(2024, 2, 2))

    # then one alert per manager from T−60 on
    assert before == []
    assert _penerima(kgb, "kgb.peringatan_t60") == sorted({*dunia["pemda"], "admin.disdik"})
    n = Notifikasi.objects.get(jenis="kgb.peringatan_t60", objek_id=str(kgb.pk), penerima=dunia["opd"])
    assert n.judul == "KGB Siti Aminah TMT 1 April 2024 belum ditandatangani"


def test_admin_who_prepares_the_draft_is_not_told_about_it(dunia):
    [rencana] = rencana_list(pegawai_qs=type(dunia["pegawai"]).objects.filter(pk=dunia["pegawai"].pk))

    kgb = kgb_draf_buat(rencana=rencana, actor=dunia["opd"])

    assert _penerima(kgb, "kgb.draf") == sorted(dunia["pemda"])


def test_issued_letter_notifies_the_employee(dunia):
    # given a draft and an employee with an account
    pegawai = dunia["pegawai"]
    akun = UserFactory(username=pegawai.nip, peran=User.Peran.PEGAWAI)
    pegawai.user = akun
    pegawai.save(update_fields=["user"])
    kepala = PegawaiFactory(unit=pegawai.unit, jabatan=JabatanFactory(unit=pegawai.unit, is_kepala_unit=True))
    kgb_pengingat_jalankan(hari_ini=D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)

    # when
    kgb_terbitkan(
        actor=dunia["admin"],
        kgb=kgb,
        nomor_surat="822.3/15-BKPSDM",
        tanggal_surat=D(2024, 2, 5),
        penandatangan=kepala,
    )

    # then
    [n] = Notifikasi.objects.filter(penerima=akun)
    assert (n.jenis, n.judul, n.isi, n.tautan) == (
        "kgb.terbit",
        "Surat pemberitahuan KGB Anda TMT 1 April 2024 telah diterbitkan",
        "Nomor surat 822.3/15-BKPSDM. Gaji pokok baru Rp2.873.500 mulai 1 April 2024.",
        f"/kgb/{kgb.pk}/",
    )


def test_draft_notification_is_mailed_after_commit(dunia, monkeypatch, django_capture_on_commit_callbacks):
    # given queued e-mail tasks run at once, as a worker would
    monkeypatch.setattr(
        tasks.notifikasi_email_task, "delay", lambda **kw: tasks.notifikasi_email_task.apply(kwargs=kw)
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        kgb_pengingat_jalankan(hari_ini=D(2023, 12, 3))

    # then the admin OPD got the e-mail about this employee
    mine = [m for m in mail.outbox if m.to == ["admin.disdik@uji.go.id"]]
    assert [m.subject for m in mine] == [
        "[Kabupaten Sumedang] Draf surat pemberitahuan KGB Siti Aminah TMT 1 April 2024 siap diperiksa"
    ]
    assert "/kgb/" in mine[0].body
