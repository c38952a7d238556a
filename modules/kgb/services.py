"""Writes on KGB: reminders (draft at T−120, alert at T−60), postponement, issuing the surat
pemberitahuan (which records the new salary in the employee's RiwayatGaji)."""

import datetime
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.notifications.services import bahasa_daerah, notifikasi_kirim
from modules.kepegawaian.access import cakupan_data_pribadi, pegawai_in_cakupan, pengelola_unit
from modules.kepegawaian.models import Pegawai, RiwayatGaji
from modules.kepegawaian.services import riwayat_gaji_add
from modules.kgb.gaji import TABEL_BERLAKU, tambah_bulan
from modules.kgb.models import Kgb
from modules.kgb.selectors import KgbRencana, dasar_gaji_text, dasar_pangkat_text, rencana_list

logger = structlog.get_logger(__name__)

HARI_DRAF = 120  # DOMAIN.md: draft at T−120 days
HARI_PERINGATAN = 60  # signed by T−60 days
# A KGB comes every 2 years (DOMAIN.md). A raise overdue by longer means a raise in between
# is missing from the employee's salary history, so its computed TMT and salary are wrong:
# the daily pass leaves it listed as overdue for the admin to fix the history, not drafted.
BULAN_PERIODE_KGB = 24


def _access_kelola(*, actor: User, pegawai: Pegawai) -> None:
    if actor.peran not in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD):
        raise ApplicationError(
            _("Hanya admin kepegawaian yang mengelola KGB."), code="permission_denied", status=403
        )
    if not pegawai_in_cakupan(cakupan=cakupan_data_pribadi(user=actor)).filter(pk=pegawai.pk).exists():
        raise ApplicationError(
            _("Pegawai ini di luar unit kerja Anda."), code="permission_denied", status=403
        )


def _tanggal(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def _konteks_pesan(kgb: Kgb) -> dict[str, Any]:
    """The values the KGB notification texts name (call inside `bahasa_daerah()`: dates are
    formatted in the regency's language)."""
    pegawai = kgb.pegawai
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip_display,
        "tmt": _tanggal(kgb.tmt),
        "hari": HARI_PERINGATAN,
    }


def _beritahu_draf(*, kgb: Kgb, actor: User | None, hari_ini: datetime.date) -> None:
    """T−120 (or later, for a raise already overdue): the managers of the employee's unit (not
    the one who prepared it by hand)."""
    pegawai = kgb.pegawai
    with bahasa_daerah():
        konteks = _konteks_pesan(kgb)
        if kgb.tmt < hari_ini:
            isi = _(
                "KGB %(nama)s (NIP %(nip)s) jatuh pada %(tmt)s dan sudah terlambat. Periksa drafnya, "
                "lalu terbitkan atau tunda sekarang."
            )
        else:
            isi = _(
                "KGB %(nama)s (NIP %(nip)s) jatuh pada %(tmt)s. Periksa drafnya, lalu terbitkan atau "
                "tunda paling lambat %(hari)s hari sebelum TMT."
            )
        notifikasi_kirim(
            penerima=[u for u in pengelola_unit(unit=pegawai.unit) if actor is None or u.pk != actor.pk],
            jenis="kgb.draf",
            judul=_("Draf surat pemberitahuan KGB %(nama)s TMT %(tmt)s siap diperiksa") % konteks,
            isi=isi % konteks,
            tautan=reverse("kgb:detail", kwargs={"kgb_id": kgb.pk}),
            objek=kgb,
        )


def _beritahu_peringatan(*, kgb: Kgb, hari_ini: datetime.date) -> None:
    """T−60 (or later, for a raise already overdue) and still a draft: the same managers."""
    pegawai = kgb.pegawai
    with bahasa_daerah():
        konteks = _konteks_pesan(kgb)
        if kgb.tmt < hari_ini:
            isi = _(
                "Surat pemberitahuan KGB %(nama)s (NIP %(nip)s) masih draf, padahal TMT %(tmt)s sudah "
                "lewat. Terbitkan atau tunda sekarang."
            )
        else:
            isi = _(
                "Surat pemberitahuan KGB %(nama)s (NIP %(nip)s) masih draf %(hari)s hari sebelum TMT. "
                "Terbitkan atau tunda sekarang."
            )
        notifikasi_kirim(
            penerima=pengelola_unit(unit=pegawai.unit),
            jenis="kgb.peringatan_t60",
            judul=_("KGB %(nama)s TMT %(tmt)s belum ditandatangani") % konteks,
            isi=isi % konteks,
            tautan=reverse("kgb:detail", kwargs={"kgb_id": kgb.pk}),
            objek=kgb,
        )


def _beritahu_terbit(*, kgb: Kgb) -> None:
    """The letter is issued: the employee, if they have an account."""
    if kgb.pegawai.user_id is None:
        return
    with bahasa_daerah():
        notifikasi_kirim(
            penerima=User.objects.filter(pk=kgb.pegawai.user_id),
            jenis="kgb.terbit",
            judul=_("Surat pemberitahuan KGB Anda TMT %(tmt)s telah diterbitkan")
            % {"tmt": _tanggal(kgb.tmt)},
            isi=_("Nomor surat %(nomor)s. Gaji pokok baru Rp%(gaji)s mulai %(tmt)s.")
            % {
                "nomor": kgb.nomor_surat,
                "gaji": formats.number_format(kgb.gaji_baru, force_grouping=True),
                "tmt": _tanggal(kgb.tmt),
            },
            tautan=reverse("kgb:detail", kwargs={"kgb_id": kgb.pk}),
            objek=kgb,
        )


def kgb_draf_buat(
    *, rencana: KgbRencana, actor: User | None = None, hari_ini: datetime.date | None = None
) -> Kgb:
    """Prepare the draft surat pemberitahuan for a planned (or overdue) raise; returns the
    existing row if any. `hari_ini`: the regency's date (default: today's local date)."""
    berikutnya = rencana.berikutnya
    if berikutnya is None:
        raise ApplicationError(rencana.masalah or _("Pegawai ini tidak punya KGB berikutnya."))
    if rencana.kgb is not None:
        return rencana.kgb
    pegawai = rencana.pegawai
    kgb = Kgb(
        pegawai=pegawai,
        tmt=berikutnya.tmt,
        golongan=pegawai.golongan,
        cpns=berikutnya.gaji_baru.cpns,
        mkg_lama_tahun=rencana.acuan.mkg_tahun if rencana.acuan else 0,
        mkg_lama_bulan=rencana.acuan.mkg_bulan if rencana.acuan else 0,
        mkg_baru_tahun=berikutnya.mkg_tahun,
        gaji_lama=berikutnya.gaji_lama.gaji_pokok,
        gaji_baru=berikutnya.gaji_baru.gaji_pokok,
        tabel=TABEL_BERLAKU,
        catatan_tabel=berikutnya.gaji_baru.catatan[:300],
        dasar_pangkat=dasar_pangkat_text(pegawai=pegawai)[:255],
        dasar_gaji=dasar_gaji_text(pegawai=pegawai)[:255],
    )
    try:
        with transaction.atomic():
            kgb.save()
            audit_record(
                actor=actor,
                action="kgb.draf",
                target=kgb,
                after={"tmt": kgb.tmt.isoformat(), "gaji_lama": kgb.gaji_lama, "gaji_baru": kgb.gaji_baru},
            )
            _beritahu_draf(kgb=kgb, actor=actor, hari_ini=hari_ini or timezone.localdate())
    except IntegrityError:
        return Kgb.objects.get(pegawai=pegawai, tmt=berikutnya.tmt)
    return kgb


@dataclass(frozen=True)
class HasilPengingat:
    draf_baru: int
    peringatan: int


def kgb_pengingat_jalankan(*, hari_ini: datetime.date) -> HasilPengingat:
    """The daily reminder pass for this regency, `hari_ini` being its local date. Idempotent.

    - TMT within 120 days and no row yet: a draft surat pemberitahuan is prepared. A raise whose
      TMT has already passed unprocessed (the pass did not run, the data came late, a
      postponement ended) gets its draft too, since it is owed from its TMT; unless it is
      overdue by more than one KGB period (see BULAN_PERIODE_KGB).
    - TMT within 60 days (or past) and still a draft (not issued): one alert, recorded on the row
      and in the audit log, shown on the admins' KGB page.
    """
    batas_draf = hari_ini + datetime.timedelta(days=HARI_DRAF)
    draf_baru = 0
    for rencana in rencana_list(pegawai_qs=Pegawai.objects.all()):
        if rencana.berikutnya is None or rencana.kgb is not None:
            continue
        tmt = rencana.berikutnya.tmt
        if tmt <= batas_draf and tambah_bulan(tmt, BULAN_PERIODE_KGB) > hari_ini:
            kgb_draf_buat(rencana=rencana, hari_ini=hari_ini)
            draf_baru += 1
    batas_peringatan = hari_ini + datetime.timedelta(days=HARI_PERINGATAN)
    peringatan = 0
    with transaction.atomic():
        for kgb in (
            Kgb.objects.select_for_update(of=("self",))
            .select_related("pegawai__unit")
            .filter(status=Kgb.Status.DRAF, pengingat_t60_pada__isnull=True, tmt__lte=batas_peringatan)
        ):
            kgb.pengingat_t60_pada = timezone.now()
            kgb.save(update_fields=["pengingat_t60_pada", "updated_at"])
            audit_record(
                actor=None,
                action="kgb.peringatan_t60",
                target=kgb,
                after={"tmt": kgb.tmt.isoformat()},
                reason=_("Surat pemberitahuan KGB belum ditandatangani %(hari)s hari sebelum TMT.")
                % {"hari": HARI_PERINGATAN},
            )
            _beritahu_peringatan(kgb=kgb, hari_ini=hari_ini)
            peringatan += 1
    logger.info("kgb.pengingat", draf_baru=draf_baru, peringatan=peringatan, hari_ini=hari_ini.isoformat())
    return HasilPengingat(draf_baru=draf_baru, peringatan=peringatan)


def kgb_tunda(
    *, actor: User, kgb: Kgb, alasan: str, ditunda_sampai: datetime.date, predikat_kinerja: str = ""
) -> Kgb:
    """Postpone a raise whose conditions are not met (e.g. predikat kinerja below "baik"), at most
    one year (PP 7/1977 art. 8). The raise is due again on `ditunda_sampai`."""
    _access_kelola(actor=actor, pegawai=kgb.pegawai)
    alasan = (alasan or "").strip()
    errors: dict[str, list[str]] = {}
    if len(alasan) < 10:
        errors["alasan"] = [_("Tuliskan alasan penundaan (minimal 10 karakter).")]
    if predikat_kinerja and predikat_kinerja not in Kgb.Predikat.values:
        errors["predikat_kinerja"] = [_("Pilih predikat kinerja dari daftar.")]
    if predikat_kinerja in (Kgb.Predikat.SANGAT_BAIK, Kgb.Predikat.BAIK) and "kinerja" in alasan.lower():
        errors["predikat_kinerja"] = [
            _("Predikat baik atau lebih memenuhi syarat KGB; penundaan karena kinerja tidak berlaku.")
        ]
    if ditunda_sampai.day != 1 or not kgb.tmt < ditunda_sampai <= tambah_bulan(kgb.tmt, 12):
        errors["ditunda_sampai"] = [_("Pilih tanggal 1 suatu bulan, setelah TMT dan paling lama satu tahun.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        kgb = Kgb.objects.select_for_update().get(pk=kgb.pk)
        if kgb.status != Kgb.Status.DRAF:
            raise ApplicationError(
                _("Hanya KGB berstatus draf yang dapat ditunda."), code="status", status=409
            )
        kgb.status = Kgb.Status.DITUNDA
        kgb.alasan_tunda = alasan
        kgb.ditunda_sampai = ditunda_sampai
        kgb.predikat_kinerja = predikat_kinerja
        kgb.save(update_fields=["status", "alasan_tunda", "ditunda_sampai", "predikat_kinerja", "updated_at"])
        audit_record(
            actor=actor,
            action="kgb.tunda",
            target=kgb,
            before={"status": Kgb.Status.DRAF},
            after={
                "status": Kgb.Status.DITUNDA,
                "ditunda_sampai": ditunda_sampai.isoformat(),
                "predikat": predikat_kinerja,
            },
            reason=alasan,
        )
    return kgb


def kgb_terbitkan(
    *, actor: User, kgb: Kgb, nomor_surat: str, tanggal_surat: datetime.date, penandatangan: Pegawai
) -> Kgb:
    """Issue the surat pemberitahuan KGB (unsigned until the persuratan module's e-signature) and
    record the new gaji pokok in the employee's salary history."""
    _access_kelola(actor=actor, pegawai=kgb.pegawai)
    nomor_surat = (nomor_surat or "").strip()
    if not nomor_surat:
        raise ApplicationError(_("Nomor surat wajib diisi."), fields={"nomor_surat": [_("Wajib diisi.")]})
    # A letter is dated by its TMT; one for a raise already overdue is dated when it is issued
    # (the raise still counts from its TMT, paid in arrears), but never in the future.
    if tanggal_surat > max(kgb.tmt, timezone.localdate()):
        raise ApplicationError(
            _("Tanggal surat harus sebelum atau pada TMT KGB (untuk KGB terlambat: paling lambat hari ini)."),
            fields={"tanggal_surat": [_("Paling lambat TMT KGB, atau hari ini bila TMT sudah lewat.")]},
        )
    if penandatangan.status != Pegawai.Status.AKTIF or penandatangan.pk == kgb.pegawai_id:
        raise ApplicationError(
            _("Penandatangan harus pejabat aktif selain pegawai yang bersangkutan."),
            fields={"penandatangan": [_("Pilih pejabat penandatangan lain.")]},
        )
    with transaction.atomic():
        kgb = Kgb.objects.select_for_update().select_related("pegawai").get(pk=kgb.pk)
        if kgb.status != Kgb.Status.DRAF:
            raise ApplicationError(
                _("Hanya KGB berstatus draf yang dapat diterbitkan."), code="status", status=409
            )
        kgb.status = Kgb.Status.DITERBITKAN
        kgb.nomor_surat = nomor_surat
        kgb.tanggal_surat = tanggal_surat
        kgb.penandatangan = penandatangan
        kgb.penandatangan_nama = penandatangan.nama_lengkap
        kgb.penandatangan_nip = penandatangan.nip
        kgb.penandatangan_jabatan = penandatangan.jabatan.nama if penandatangan.jabatan else ""
        kgb.diterbitkan_oleh = actor
        kgb.diterbitkan_pada = timezone.now()
        kgb.save()
        # Through kepegawaian's own service: it checks the actor's scope and audits the history row.
        riwayat_gaji_add(
            actor=actor,
            pegawai=kgb.pegawai,
            jenis=RiwayatGaji.Jenis.KGB,
            golongan=kgb.golongan,
            mkg_tahun=kgb.mkg_baru_tahun,
            gaji_pokok=kgb.gaji_baru,
            tmt=kgb.tmt,
            sk_nomor=nomor_surat,
            sk_tanggal=tanggal_surat,
        )
        audit_record(
            actor=actor,
            action="kgb.terbitkan",
            target=kgb,
            before={"status": Kgb.Status.DRAF},
            after={
                "status": Kgb.Status.DITERBITKAN,
                "nomor_surat": nomor_surat,
                "gaji_baru": kgb.gaji_baru,
                "tmt": kgb.tmt.isoformat(),
                "penandatangan": penandatangan.nip,
            },
        )
        _beritahu_terbit(kgb=kgb)
    return kgb
