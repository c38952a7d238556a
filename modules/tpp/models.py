"""TPP (Tambahan Penghasilan Pegawai): the regency's Perbup/Perwali as versioned parameters, the
monthly kinerja, budget absorption (serapan anggaran) per OPD and disciplinary sanctions that feed it, and the monthly run with one line per employee.

Rules in DOMAIN.md ("TPP"); the arithmetic and its rounding rule in `modules/tpp/rumus.py`.
"""

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from modules.kepegawaian.models import Jabatan, Pegawai, Unit


class _PresisiPersen(TypedDict):
    max_digits: int
    decimal_places: int


PERSEN: _PresisiPersen = {"max_digits": 6, "decimal_places": 2}


class PerbupTpp(models.Model):
    """One Perbup/Perwali on TPP, in force from `berlaku_mulai` until the next one starts.

    A run pins the Perbup it was computed under; a Perbup already used by a run cannot be edited,
    so a new regulation from a date never changes a month computed under the old one.
    """

    class PerlakuanPajak(models.TextChoices):
        DITANGGUNG = "ditanggung", _("PPh 21 ditanggung pemda")
        DIPOTONG = "dipotong", _("PPh 21 dipotong dari TPP")

    nomor = models.CharField(_("nomor peraturan"), max_length=150)
    judul = models.CharField(_("judul"), max_length=255, blank=True)
    berlaku_mulai = models.DateField(
        _("berlaku mulai"),
        unique=True,
        error_messages={
            "unique": _("Sudah ada Perbup TPP yang berlaku mulai tanggal ini."),
        },
    )
    bobot_kinerja = models.DecimalField(_("bobot kinerja (%)"), **PERSEN)
    bobot_disiplin = models.DecimalField(_("bobot disiplin (%)"), **PERSEN)
    # Optional third component (e.g. 80/10/10): the OPD's budget absorption in the month.
    bobot_serapan = models.DecimalField(_("bobot serapan anggaran (%)"), default=0, **PERSEN)
    potongan_tk_per_hari = models.DecimalField(_("potongan tanpa keterangan per hari (%)"), **PERSEN)
    potongan_izin_per_hari = models.DecimalField(_("potongan izin per hari (%)"), default=0, **PERSEN)
    potongan_disiplin_maks = models.DecimalField(
        _("batas potongan disiplin per bulan (%)"), default=100, **PERSEN
    )
    persen_cpns = models.DecimalField(_("persentase CPNS (%)"), default=80, **PERSEN)
    bpjs_persen_total = models.DecimalField(_("iuran BPJS Kesehatan total (%)"), default=5, **PERSEN)
    bpjs_persen_pegawai = models.DecimalField(_("iuran BPJS Kesehatan pegawai (%)"), default=1, **PERSEN)
    bpjs_batas_atas = models.PositiveBigIntegerField(
        _("batas atas dasar iuran BPJS (Rp)"), default=12_000_000
    )
    pajak_perlakuan = models.CharField(
        _("perlakuan PPh 21"), max_length=12, choices=PerlakuanPajak.choices, default=PerlakuanPajak.DIPOTONG
    )
    tarif_pph_gol_iv = models.DecimalField(_("tarif PPh 21 golongan IV (%)"), default=15, **PERSEN)
    tarif_pph_gol_iii = models.DecimalField(_("tarif PPh 21 golongan III (%)"), default=5, **PERSEN)
    tarif_pph_lainnya = models.DecimalField(_("tarif PPh 21 golongan I/II dan PPPK (%)"), default=0, **PERSEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("Perbup TPP")
        verbose_name_plural = _("Perbup TPP")
        ordering = ["-berlaku_mulai"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(berlaku_mulai__day=1),
                name="perbup_tpp_berlaku_tanggal_1",
                violation_error_message=_("Perbup TPP berlaku mulai tanggal 1 suatu bulan."),
            ),
            models.CheckConstraint(
                condition=models.Q(bobot_kinerja__gte=0, bobot_disiplin__gte=0, bobot_serapan__gte=0)
                & models.Q(bobot_kinerja__lte=100, bobot_disiplin__lte=100, bobot_serapan__lte=100),
                name="perbup_tpp_bobot_0_100",
                violation_error_message=_(
                    "Bobot kinerja, disiplin dan serapan anggaran masing-masing 0–100%."
                ),
            ),
            models.CheckConstraint(
                condition=Exact(F("bobot_kinerja") + F("bobot_disiplin") + F("bobot_serapan"), 100),
                name="perbup_tpp_bobot_jumlah_100",
                violation_error_message=_(
                    "Bobot kinerja, bobot disiplin dan bobot serapan anggaran harus berjumlah 100 persen."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(persen_cpns__gte=0, persen_cpns__lte=100)
                & models.Q(potongan_disiplin_maks__gte=0, potongan_disiplin_maks__lte=100),
                name="perbup_tpp_persen_0_100",
                violation_error_message=_("Persentase CPNS dan batas potongan disiplin harus 0–100%."),
            ),
            models.CheckConstraint(
                condition=models.Q(bpjs_persen_pegawai__lte=models.F("bpjs_persen_total")),
                name="perbup_tpp_bpjs_pegawai_lte_total",
                violation_error_message=_("Iuran BPJS pegawai tidak boleh melebihi iuran total."),
            ),
        ]

    def __str__(self) -> str:
        return self.nomor


class TppBesaran(models.Model):
    """Base amount for a kelas jabatan; optionally only for one jabatan kind and/or unit kind
    (the Perbup's "tempat bertugas"). The most specific row wins."""

    perbup = models.ForeignKey(PerbupTpp, on_delete=models.CASCADE, related_name="besaran")
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"))
    jenis_jabatan = models.CharField(
        _("jenis jabatan"), max_length=20, choices=Jabatan.Jenis.choices, blank=True
    )
    jenis_unit = models.CharField(
        _("jenis unit (tempat bertugas)"), max_length=20, choices=Unit.Jenis.choices, blank=True
    )
    besaran = models.PositiveBigIntegerField(_("besaran TPP (Rp)"))

    class Meta:
        ordering = ["perbup", "kelas_jabatan", "jenis_jabatan", "jenis_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["perbup", "kelas_jabatan", "jenis_jabatan", "jenis_unit"],
                name="tpp_besaran_unik",
                violation_error_message=_("Besaran untuk kelas, jenis jabatan dan jenis unit ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17),
                name="tpp_besaran_kelas_1_17",
                violation_error_message=_("Kelas jabatan harus antara 1 dan 17."),
            ),
        ]

    def __str__(self) -> str:
        return f"kelas {self.kelas_jabatan}: {self.besaran}"


class TppPotonganBand(models.Model):
    """Deduction per day for a lateness (TL) or leaving-early (PSW) band."""

    class Jenis(models.TextChoices):
        TL = "tl", _("Terlambat (TL)")
        PSW = "psw", _("Pulang sebelum waktunya (PSW)")

    perbup = models.ForeignKey(PerbupTpp, on_delete=models.CASCADE, related_name="potongan_band")
    jenis = models.CharField(_("jenis"), max_length=3, choices=Jenis.choices)
    band = models.PositiveSmallIntegerField(_("band"))
    persen = models.DecimalField(_("potongan per kejadian (%)"), **PERSEN)

    class Meta:
        ordering = ["perbup", "jenis", "band"]
        constraints = [
            models.UniqueConstraint(
                fields=["perbup", "jenis", "band"],
                name="tpp_band_unik",
                violation_error_message=_("Potongan untuk band ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(band__gte=1, band__lte=4),
                name="tpp_band_1_4",
                violation_error_message=_("Band TL/PSW harus 1–4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jenis.upper()}{self.band}: {self.persen}%"


class TppJenisHukdis(models.Model):
    """A disciplinary sanction (hukuman disiplin) and what it cuts from TPP, for how many months."""

    perbup = models.ForeignKey(PerbupTpp, on_delete=models.CASCADE, related_name="jenis_hukdis")
    kode = models.SlugField(_("kode"), max_length=40)
    nama = models.CharField(_("nama"), max_length=150)
    persen = models.DecimalField(_("potongan TPP (%)"), **PERSEN)
    bulan = models.PositiveSmallIntegerField(_("lama (bulan)"))

    class Meta:
        ordering = ["perbup", "persen"]
        constraints = [
            models.UniqueConstraint(
                fields=["perbup", "kode"],
                name="tpp_hukdis_unik",
                violation_error_message=_("Kode hukdis sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(persen__gte=0, persen__lte=100, bulan__gte=1),
                name="tpp_hukdis_persen_bulan",
                violation_error_message=_(
                    "Potongan hukdis harus antara 0 dan 100 persen dan lamanya minimal 1 bulan."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class KinerjaBulanan(models.Model):
    """The month's performance score (0–100) of one employee, from the superior or an e-Kinerja import."""

    class Sumber(models.TextChoices):
        ATASAN = "atasan", _("Diisi atasan")
        IMPOR = "impor", _("Impor e-Kinerja/SKP")

    pegawai = models.ForeignKey(
        "kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="kinerja_bulanan"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    bulan = models.PositiveSmallIntegerField(_("bulan"))
    nilai = models.DecimalField(_("nilai kinerja"), max_digits=5, decimal_places=2)
    sumber = models.CharField(_("sumber"), max_length=10, choices=Sumber.choices)
    diisi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tahun", "bulan", "pegawai"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "tahun", "bulan"],
                name="kinerja_unik_per_bulan",
                violation_error_message=_("Nilai kinerja pegawai untuk bulan ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(nilai__gte=0, nilai__lte=100),
                name="kinerja_nilai_0_100",
                violation_error_message=_("Nilai kinerja harus 0–100."),
            ),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12),
                name="kinerja_bulan_1_12",
                violation_error_message=_("Bulan harus 1–12."),
            ),
        ]

    def __str__(self) -> str:
        return f"kinerja {self.pegawai_id} {self.bulan:02d}/{self.tahun}: {self.nilai}"


class SerapanAnggaran(models.Model):
    """The month's realisasi serapan anggaran (budget absorption, 0–100%) of one OPD, entered by
    the regency admin; every employee of the OPD gets the same value in the serapan component."""

    opd = models.ForeignKey(
        "kepegawaian.Unit", verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="serapan_anggaran"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    bulan = models.PositiveSmallIntegerField(_("bulan"))
    nilai = models.DecimalField(_("realisasi serapan anggaran (%)"), max_digits=5, decimal_places=2)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("serapan anggaran")
        verbose_name_plural = _("serapan anggaran")
        ordering = ["tahun", "bulan", "opd"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "tahun", "bulan"],
                name="serapan_unik_per_opd_bulan",
                violation_error_message=_("Serapan anggaran OPD ini untuk bulan ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(nilai__gte=0, nilai__lte=100),
                name="serapan_nilai_0_100",
                violation_error_message=_("Realisasi serapan anggaran harus 0–100."),
            ),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12),
                name="serapan_bulan_1_12",
                violation_error_message=_("Bulan harus 1–12."),
            ),
        ]

    def __str__(self) -> str:
        return f"serapan {self.opd_id} {self.bulan:02d}/{self.tahun}: {self.nilai}"


class Hukdis(models.Model):
    """A disciplinary sanction imposed on an employee from a month (TMT on the 1st)."""

    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="hukdis")
    # The Perbup's sanction code (TppJenisHukdis.kode); percentage and months come from the
    # Perbup a month is computed under.
    kode_jenis = models.SlugField(_("jenis hukdis"), max_length=40)
    tmt = models.DateField(_("TMT"))
    sk_nomor = models.CharField(_("nomor SK"), max_length=100)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("hukuman disiplin")
        ordering = ["-tmt"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tmt__day=1),
                name="hukdis_tmt_tanggal_1",
                violation_error_message=_("TMT hukuman disiplin adalah tanggal 1 suatu bulan."),
            )
        ]

    def __str__(self) -> str:
        return f"hukdis {self.kode_jenis} {self.pegawai_id} {self.tmt:%Y-%m}"


class TppPeriode(models.Model):
    """One month's TPP run of the regency."""

    class Status(models.TextChoices):
        DIHITUNG = "dihitung", _("Dihitung (dapat dikoreksi)")
        TERKUNCI = "terkunci", _("Terkunci")

    tahun = models.PositiveSmallIntegerField(_("tahun"))
    bulan = models.PositiveSmallIntegerField(_("bulan"))
    perbup = models.ForeignKey(PerbupTpp, on_delete=models.PROTECT, related_name="periode")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DIHITUNG)
    dihitung_pada = models.DateTimeField(_("dihitung pada"))
    dikunci_pada = models.DateTimeField(_("dikunci pada"), null=True, blank=True)
    dikunci_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jumlah_pegawai = models.PositiveIntegerField(default=0)
    total_bruto = models.BigIntegerField(default=0)
    total_netto = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("periode TPP")
        verbose_name_plural = _("periode TPP")
        ordering = ["-tahun", "-bulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["tahun", "bulan"],
                name="tpp_periode_unik",
                violation_error_message=_("TPP bulan ini sudah pernah dihitung."),
            ),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12),
                name="tpp_periode_bulan_1_12",
                violation_error_message=_("Bulan harus 1–12."),
            ),
        ]

    def __str__(self) -> str:
        return f"TPP {self.bulan:02d}/{self.tahun}"

    @property
    def terkunci(self) -> bool:
        return self.status == self.Status.TERKUNCI


class TppBaris(models.Model):
    """One employee's TPP for the month: every amount in whole rupiah, with the itemised reasons."""

    periode = models.ForeignKey(TppPeriode, on_delete=models.CASCADE, related_name="baris")
    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.PROTECT, related_name="tpp_baris")
    # As they were when computed, so a later transfer or rename never rewrites the month.
    unit = models.ForeignKey("kepegawaian.Unit", on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey("kepegawaian.Unit", on_delete=models.PROTECT, related_name="+")
    nama_opd = models.CharField(max_length=200)
    nip = models.CharField(max_length=18)
    nama = models.CharField(max_length=300)
    nama_jabatan = models.CharField(max_length=255, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(null=True)
    jenis_pegawai = models.CharField(max_length=4)
    golongan = models.CharField(max_length=5)
    besaran = models.BigIntegerField()
    kinerja_nilai = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    potongan_disiplin_persen = models.DecimalField(**PERSEN)
    komponen_kinerja = models.BigIntegerField()
    komponen_disiplin = models.BigIntegerField()
    serapan_nilai = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    komponen_serapan = models.BigIntegerField(default=0)
    bruto = models.BigIntegerField()
    hukdis_persen = models.DecimalField(**PERSEN)
    potongan_hukdis = models.BigIntegerField()
    potongan_bpjs = models.BigIntegerField()
    iuran_bpjs_pemda = models.BigIntegerField()
    potongan_pph = models.BigIntegerField()
    pph_ditanggung = models.BigIntegerField()
    netto = models.BigIntegerField()
    rincian = models.JSONField(default=list)
    perlu_perhatian = models.BooleanField(default=False)

    class Meta:
        ordering = ["nama_opd", "-kelas_jabatan", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "pegawai"], name="tpp_baris_unik_per_pegawai"),
            models.CheckConstraint(condition=models.Q(netto__gte=0), name="tpp_baris_netto_tidak_negatif"),
        ]
        indexes = [models.Index(fields=["periode", "opd"])]

    def __str__(self) -> str:
        return f"TPP {self.nip} {self.periode_id}"

    @property
    def nip_display(self) -> str:
        """The NIP as of the month, printed as kepegawaian prints it (`19860926 201505 1 001`)."""
        return Pegawai(nip=self.nip).nip_display
