from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.kepegawaian.models import Unit
from modules.presensi.models import HariLibur, JadwalKerja, KoreksiPresensi


class LokasiForm(forms.Form):
    nama = forms.CharField(label=_("Nama lokasi"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Semua unit (seluruh pemda)"),
    )
    latitude = forms.DecimalField(
        label=_("Lintang"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Bujur"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    radius_m = forms.IntegerField(
        label=_("Radius (meter)"),
        min_value=10,
        max_value=5000,
        initial=100,
        help_text=_("15–100 m untuk gedung."),
        error_messages={
            "required": _("Isi radius geofence dalam meter, misalnya 100."),
            "invalid": _("Isi radius dengan angka bulat dalam meter, misalnya 100."),
            "min_value": _("Radius paling kecil %(limit_value)s m; untuk gedung biasanya 15–100 m."),
            "max_value": _("Radius paling besar %(limit_value)s m."),
        },
    )
    alamat = forms.CharField(label=_("Alamat"), max_length=255, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()  # type: ignore[attr-defined]


class JadwalForm(forms.Form):
    nama = forms.CharField(label=_("Nama jadwal"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Seluruh pemda")
    )
    jenis = forms.ChoiceField(label=_("Jenis"), choices=JadwalKerja.Jenis.choices[:2])
    musim = forms.ChoiceField(label=_("Musim"), choices=JadwalKerja.Musim.choices)
    berlaku_mulai = forms.DateField(
        label=_("Berlaku mulai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    berlaku_sampai = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    masuk = forms.TimeField(label=_("Jam masuk Senin–Kamis"), widget=forms.TimeInput(attrs={"type": "time"}))
    pulang = forms.TimeField(
        label=_("Jam pulang Senin–Kamis"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    masuk_jumat = forms.TimeField(label=_("Jam masuk Jumat"), widget=forms.TimeInput(attrs={"type": "time"}))
    pulang_jumat = forms.TimeField(
        label=_("Jam pulang Jumat"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    masuk_sabtu = forms.TimeField(
        label=_("Jam masuk Sabtu (6 hari)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    pulang_sabtu = forms.TimeField(
        label=_("Jam pulang Sabtu (6 hari)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("jenis") == JadwalKerja.Jenis.ENAM_HARI and not (
            data.get("masuk_sabtu") and data.get("pulang_sabtu")
        ):
            self.add_error("masuk_sabtu", _("Jadwal 6 hari perlu jam masuk dan pulang hari Sabtu."))
        return data


class HariLiburForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    nama = forms.CharField(label=_("Keterangan"), max_length=200)
    jenis = forms.ChoiceField(label=_("Jenis"), choices=HariLibur.Jenis.choices)


class KoreksiForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    jenis = forms.ChoiceField(label=_("Jenis koreksi"), choices=KoreksiPresensi.Jenis.choices)
    jam = forms.TimeField(
        label=_("Jam"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Untuk lupa presensi."),
    )
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    nomor_dokumen = forms.CharField(
        label=_("Nomor dokumen (surat tugas, surat dokter)"), max_length=200, required=False
    )
    lampiran = forms.FileField(label=_("Lampiran"), required=False)


class ShiftForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=18, min_length=18)
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    nama_shift = forms.CharField(label=_("Nama shift"), max_length=30, initial=_("Pagi"))
    jam_masuk = forms.TimeField(label=_("Jam masuk"), widget=forms.TimeInput(attrs={"type": "time"}))
    jam_pulang = forms.TimeField(
        label=_("Jam pulang"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Boleh lebih awal dari jam masuk untuk shift malam (selesai esok hari)."),
    )


class LokasiUbahForm(LokasiForm):
    """The location form with its on/off switch: a location turned off takes no more check-ins."""

    aktif = forms.BooleanField(
        label=_("Aktif"),
        required=False,
        help_text=_("Matikan untuk menutup lokasi ini dari presensi tanpa menghapus riwayatnya."),
    )


HARI_NAMA = (
    _("Senin"),
    _("Selasa"),
    _("Rabu"),
    _("Kamis"),
    _("Jumat"),
    _("Sabtu"),
    _("Minggu"),
)


class JadwalUbahForm(forms.Form):
    """A schedule's name, dates, on/off switch and the hours of each of its working days (one
    pair of fields per weekday it has: `masuk_0`/`pulang_0` for Monday…). A shift schedule's
    hours are per shift and stay as they are here."""

    nama = forms.CharField(label=_("Nama jadwal"), max_length=200)
    berlaku_mulai = forms.DateField(
        label=_("Berlaku mulai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    berlaku_sampai = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    aktif = forms.BooleanField(
        label=_("Aktif"),
        required=False,
        help_text=_("Jadwal yang dimatikan tidak dipakai lagi; berlaku jadwal unit induk atau jadwal pemda."),
    )

    def __init__(self, *args, jadwal: JadwalKerja, **kwargs):
        self.jadwal = jadwal
        days = list(jadwal.hari.all())
        initial: dict[str, Any] = {
            **kwargs.pop("initial", {}),
            "nama": jadwal.nama,
            "berlaku_mulai": jadwal.berlaku_mulai,
            "berlaku_sampai": jadwal.berlaku_sampai,
            "aktif": jadwal.aktif,
        }
        self.hari: list[int] = []
        if jadwal.jenis != JadwalKerja.Jenis.SHIFT:
            self.hari = sorted({d.hari for d in days})
            for d in days:
                initial[f"masuk_{d.hari}"] = d.jam_masuk
                initial[f"pulang_{d.hari}"] = d.jam_pulang
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for hari in self.hari:
            for prefix, label in (("masuk", _("Jam masuk %(hari)s")), ("pulang", _("Jam pulang %(hari)s"))):
                self.fields[f"{prefix}_{hari}"] = forms.TimeField(
                    label=label % {"hari": HARI_NAMA[hari]},
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    def hari_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The hour fields as (masuk, pulang) per weekday, for a two-column layout."""
        return [(self[f"masuk_{h}"], self[f"pulang_{h}"]) for h in self.hari]

    def clean(self):
        data = super().clean() or {}
        mulai, sampai = data.get("berlaku_mulai"), data.get("berlaku_sampai")
        if mulai and sampai and sampai < mulai:
            self.add_error("berlaku_sampai", _("Tanggal ini tidak boleh sebelum 'berlaku mulai'."))
        if self.jadwal.musim == JadwalKerja.Musim.RAMADAN:
            for name in ("berlaku_mulai", "berlaku_sampai"):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, _("Jadwal Ramadan harus punya tanggal ini."))
        for hari in self.hari:
            masuk, pulang = data.get(f"masuk_{hari}"), data.get(f"pulang_{hari}")
            if masuk and pulang and pulang <= masuk:
                self.add_error(f"pulang_{hari}", _("Jam pulang harus sesudah jam masuk."))
        return data
