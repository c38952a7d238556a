"""Presensi: one judged status per employee per working day, the input of TPP.

Rules in DOMAIN.md ("Presensi"): times stored in UTC, judged in the tenant's zone; lateness
TL1–TL4 and leaving early PSW1–PSW4 by 30-minute bands.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.core.files import tenant_attachment_path, tenant_path


class StatusHarian(models.Model):
    """The day's status of one employee, computed after the working day (and on demand)."""

    class Status(models.TextChoices):
        HADIR = "hadir", _("Hadir")
        DL = "dl", _("Dinas luar")
        DIKLAT = "diklat", _("Diklat")
        TB = "tb", _("Tugas belajar")
        IZIN = "izin", _("Izin")
        SAKIT = "sakit", _("Sakit")
        CUTI = "cuti", _("Cuti")
        WFH = "wfh", _("Bekerja dari rumah")
        TK = "tk", _("Tanpa keterangan")
        LIBUR = "libur", _("Libur")

    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="status_harian")
    tanggal = models.DateField(_("tanggal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Jenis cuti (CT, CB, CS, CM, CAP, CLTN) when status is cuti.
    jenis_cuti = models.CharField(_("jenis cuti"), max_length=4, blank=True)
    # Lateness (TL) and leaving early (PSW) bands 0–4: 1–30, 31–60, 61–90, ≥91 minutes or missing.
    terlambat_menit = models.PositiveIntegerField(_("terlambat (menit)"), default=0)
    pulang_cepat_menit = models.PositiveIntegerField(_("pulang cepat (menit)"), default=0)
    tl = models.PositiveSmallIntegerField(_("band TL"), default=0)
    psw = models.PositiveSmallIntegerField(_("band PSW"), default=0)
    # The document that excuses the day (surat tugas, surat cuti, surat dokter…).
    dokumen = models.CharField(_("dokumen"), max_length=200, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    # The check-in and check-out the status was judged from (None when missing).
    waktu_masuk = models.DateTimeField(_("waktu masuk"), null=True, blank=True)
    waktu_pulang = models.DateTimeField(_("waktu pulang"), null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status harian")
        verbose_name_plural = _("status harian")
        ordering = ["tanggal", "pegawai"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tanggal"], name="status_harian_unik_per_hari"),
            models.CheckConstraint(condition=models.Q(tl__lte=4, psw__lte=4), name="status_harian_band_0_4"),
        ]
        indexes = [models.Index(fields=["tanggal", "status"])]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.tanggal} {self.status}"


def selfie_upload_to(instance: "Presensi", filename: str) -> str:
    """Selfies live under the tenant's own prefix, so storage (and its access rules) never mixes
    regencies: tenants/<schema>/presensi/swafoto/<yyyy>/<mm>/<dd>/<client uuid>.jpg."""
    return tenant_path("presensi", "swafoto", f"{instance.tanggal:%Y/%m/%d}", f"{instance.client_uuid}.jpg")


def lampiran_upload_to(instance: models.Model, filename: str) -> str:
    return tenant_attachment_path("presensi", filename)


class LokasiKantor(models.Model):
    """An office location with a circular geofence. A unit may have several; a location with no
    unit is open to every employee of the regency. A unit's employees (and its sub-units') may
    check in at its locations and those of its ancestors."""

    nama = models.CharField(_("nama lokasi"), max_length=200)
    unit = models.ForeignKey(
        "kepegawaian.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lokasi_kantor",
    )
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    # DOMAIN.md: 15–100 m for a building, larger for field sites.
    radius_m = models.PositiveIntegerField(_("radius (meter)"), default=100)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lokasi kantor")
        verbose_name_plural = _("lokasi kantor")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(radius_m__gte=10, radius_m__lte=5000),
                name="lokasi_radius_10_5000",
                violation_error_message=_("Radius harus antara 10 dan 5.000 meter."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="lokasi_koordinat_valid",
                violation_error_message=_("Koordinat di luar jangkauan: lintang −90..90, bujur −180..180."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class JadwalKerja(models.Model):
    """A weekly working schedule for a unit (and its sub-units), or the regency's default when
    no unit is given. The Ramadan season is a schedule of its own with dates; on those dates it
    wins over the normal one."""

    class Jenis(models.TextChoices):
        LIMA_HARI = "5hari", _("5 hari kerja")
        ENAM_HARI = "6hari", _("6 hari kerja")
        SHIFT = "shift", _("Shift")

    class Musim(models.TextChoices):
        NORMAL = "normal", _("Normal")
        RAMADAN = "ramadan", _("Ramadan")

    nama = models.CharField(_("nama jadwal"), max_length=200)
    unit = models.ForeignKey(
        "kepegawaian.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jadwal_kerja",
    )
    jenis = models.CharField(_("jenis"), max_length=6, choices=Jenis.choices, default=Jenis.LIMA_HARI)
    musim = models.CharField(_("musim"), max_length=8, choices=Musim.choices, default=Musim.NORMAL)
    berlaku_mulai = models.DateField(_("berlaku mulai"), null=True, blank=True)
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jadwal kerja")
        verbose_name_plural = _("jadwal kerja")
        ordering = ["unit_id", "musim", "nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(berlaku_mulai__isnull=True)
                | models.Q(berlaku_sampai__isnull=True)
                | models.Q(berlaku_sampai__gte=models.F("berlaku_mulai")),
                name="jadwal_periode_urut",
                violation_error_message=_("Tanggal 'berlaku sampai' tidak boleh sebelum 'berlaku mulai'."),
            ),
            models.CheckConstraint(
                condition=models.Q(musim="normal")
                | models.Q(berlaku_mulai__isnull=False, berlaku_sampai__isnull=False),
                name="jadwal_ramadan_bertanggal",
                violation_error_message=_("Jadwal Ramadan harus punya tanggal mulai dan tanggal selesai."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class JadwalHari(models.Model):
    """One working day of a schedule: weekday 0 (Monday) to 6 (Sunday) with its hours.
    A weekday without a row is a day off. Shift schedules name each row's shift; the shift an
    employee works on a date is assigned with ShiftPegawai."""

    jadwal = models.ForeignKey(JadwalKerja, on_delete=models.CASCADE, related_name="hari")
    hari = models.PositiveSmallIntegerField(_("hari"))
    shift = models.CharField(_("shift"), max_length=30, blank=True)
    jam_masuk = models.TimeField(_("jam masuk"))
    jam_pulang = models.TimeField(_("jam pulang"))

    class Meta:
        ordering = ["jadwal", "hari", "jam_masuk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hari__gte=0, hari__lte=6),
                name="jadwal_hari_0_6",
                violation_error_message=_("Hari harus 0 (Senin) sampai 6 (Minggu)."),
            ),
            models.UniqueConstraint(
                fields=["jadwal", "hari", "shift"],
                name="jadwal_hari_unik",
                violation_error_message=_("Hari (dan shift) ini sudah ada di jadwal tersebut."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hari} {self.jam_masuk:%H:%M}–{self.jam_pulang:%H:%M}"


class ShiftPegawai(models.Model):
    """The shift an employee works on one date (RSUD, Satpol PP…). Overrides the unit schedule;
    a shift may end after midnight (jam_pulang earlier than jam_masuk)."""

    pegawai = models.ForeignKey(
        "kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="shift_presensi"
    )
    tanggal = models.DateField(_("tanggal"))
    nama_shift = models.CharField(_("shift"), max_length=30)
    jam_masuk = models.TimeField(_("jam masuk"))
    jam_pulang = models.TimeField(_("jam pulang"))

    class Meta:
        ordering = ["tanggal", "pegawai"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "tanggal"],
                name="shift_pegawai_unik_per_hari",
                violation_error_message=_("Pegawai ini sudah punya shift pada tanggal tersebut."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.tanggal} {self.nama_shift}"


class HariLibur(models.Model):
    """The regency's calendar entries on top of the national holidays (`holidays` package):
    cuti bersama, regional holidays, or an override that makes a national holiday a working day."""

    class Jenis(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        DAERAH = "daerah", _("Libur daerah")
        NASIONAL = "nasional", _("Libur nasional")
        MASUK = "masuk", _("Hari kerja (membatalkan libur)")

    tanggal = models.DateField(_("tanggal"))
    nama = models.CharField(_("keterangan"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=15, choices=Jenis.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["tanggal"]
        constraints = [
            models.UniqueConstraint(
                fields=["tanggal"],
                name="hari_libur_unik_per_tanggal",
                violation_error_message=_("Tanggal ini sudah ada di kalender libur."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.nama}"


class Presensi(models.Model):
    """One check-in or check-out from the phone. The client UUID makes it idempotent: an offline
    replay or a double tap finds the row already there (the database refuses a second one)."""

    class Jenis(models.TextChoices):
        MASUK = "masuk", _("Masuk")
        PULANG = "pulang", _("Pulang")

    class Status(models.TextChoices):
        DITERIMA = "diterima", _("Diterima")
        PERLU_TINJAUAN = "perlu_tinjauan", _("Perlu tinjauan")
        DITOLAK = "ditolak", _("Ditolak setelah tinjauan")

    class Alasan(models.TextChoices):
        KANTOR = "", _("Di kantor")
        DL = "dl", _("Dinas luar")
        WFH = "wfh", _("Bekerja dari rumah")

    class Tanda(models.TextChoices):
        PERJALANAN_MUSTAHIL = "perjalanan_mustahil", _("Perpindahan terlalu cepat dari presensi sebelumnya")
        AKURASI_BURUK = "akurasi_buruk", _("Akurasi lokasi lebih buruk dari batas")
        JAM_PERANGKAT = "jam_perangkat", _("Jam perangkat jauh dari jam server")
        LUAR_GEOFENCE = "luar_geofence", _("Di luar geofence")
        TERTUNDA = "tertunda", _("Dikirim ulang lama setelah diambil (luring)")

    client_uuid = models.UUIDField(_("UUID klien"))
    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="presensi")
    jenis = models.CharField(_("jenis"), max_length=6, choices=Jenis.choices)
    # The working day it counts for, in the regency's zone.
    tanggal = models.DateField(_("tanggal"))
    # When it happened (device time corrected by the device's clock offset) and when it arrived.
    waktu = models.DateTimeField(_("waktu"))
    waktu_perangkat = models.DateTimeField(_("waktu perangkat"))
    waktu_server = models.DateTimeField(_("waktu server"))
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    akurasi_m = models.PositiveIntegerField(_("akurasi (meter)"))
    lokasi = models.ForeignKey(
        LokasiKantor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jarak_m = models.PositiveIntegerField(_("jarak ke lokasi (meter)"), null=True, blank=True)
    alasan = models.CharField(_("alasan di luar kantor"), max_length=4, choices=Alasan.choices, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    swafoto = models.FileField(_("swafoto"), upload_to=selfie_upload_to, max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DITERIMA)
    tanda = models.JSONField(_("tanda"), default=list, blank=True)
    ditinjau_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ditinjau_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        ordering = ["-waktu"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_uuid"],
                name="presensi_client_uuid_unik",
                violation_error_message=_("Presensi dengan UUID klien ini sudah tercatat."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="presensi_koordinat_valid",
                violation_error_message=_("Koordinat di luar jangkauan."),
            ),
        ]
        indexes = [models.Index(fields=["pegawai", "tanggal"]), models.Index(fields=["tanggal", "status"])]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.jenis} {self.waktu:%Y-%m-%d %H:%M}"


class KoreksiPresensi(models.Model):
    """An employee's request to correct a day (forgot to check out, DL, WFH…), decided by the
    superior; the day's status is recomputed when it is approved."""

    class Jenis(models.TextChoices):
        LUPA_MASUK = "lupa_masuk", _("Lupa presensi masuk")
        LUPA_PULANG = "lupa_pulang", _("Lupa presensi pulang")
        DL = "dl", _("Dinas luar")
        WFH = "wfh", _("Bekerja dari rumah")
        DIKLAT = "diklat", _("Diklat")
        IZIN = "izin", _("Izin")
        SAKIT = "sakit", _("Sakit")

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    pegawai = models.ForeignKey(
        "kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="koreksi_presensi"
    )
    tanggal = models.DateField(_("tanggal"))
    jenis = models.CharField(_("jenis koreksi"), max_length=12, choices=Jenis.choices)
    # For lupa_masuk / lupa_pulang: the time the employee says they arrived or left (local).
    jam = models.TimeField(_("jam"), null=True, blank=True)
    alasan = models.TextField(_("alasan"))
    nomor_dokumen = models.CharField(_("nomor dokumen"), max_length=200, blank=True)
    lampiran = models.FileField(_("lampiran"), upload_to=lampiran_upload_to, max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    penyetuju = models.ForeignKey(
        "kepegawaian.Pegawai", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diputus_pada = models.DateTimeField(null=True, blank=True)
    catatan_putusan = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("koreksi presensi")
        verbose_name_plural = _("koreksi presensi")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(jenis__in=["lupa_masuk", "lupa_pulang"]) | models.Q(jam__isnull=False),
                name="koreksi_lupa_perlu_jam",
                violation_error_message=_("Koreksi lupa presensi harus menyebut jamnya."),
            ),
            models.UniqueConstraint(
                fields=["pegawai", "tanggal", "jenis"],
                condition=models.Q(status__in=["diajukan", "disetujui"]),
                name="koreksi_unik_aktif",
                violation_error_message=_("Sudah ada koreksi yang sama untuk tanggal ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.tanggal} {self.jenis}"


class PenutupanHari(models.Model):
    """A working day whose statuses the periodic job has computed, so the job runs once a day
    per regency however often beat ticks."""

    tanggal = models.DateField(unique=True)
    jumlah_pegawai = models.PositiveIntegerField(default=0)
    selesai_pada = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.tanggal)
