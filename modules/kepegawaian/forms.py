"""Page forms: they parse what an admin typed; the services decide whether it is right."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eoffice.accounts.models import User
from modules.kepegawaian.models import Golongan, Jabatan, Pegawai, Unit
from tenants.models import Tenant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.nama}"


class PegawaiForm(forms.Form):
    nip = forms.CharField(label=_("NIP / NI PPPK"), max_length=30, help_text=_("18 digit; spasi boleh."))
    jenis_pegawai = forms.ChoiceField(label=_("Jenis pegawai"), choices=Pegawai.JenisPegawai.choices)
    gelar_depan = forms.CharField(label=_("Gelar depan"), max_length=50, required=False)
    nama = forms.CharField(label=_("Nama tanpa gelar"), max_length=200)
    gelar_belakang = forms.CharField(label=_("Gelar belakang"), max_length=100, required=False)
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False)
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    tanggal_lahir = forms.DateField(
        label=_("Tanggal lahir"),
        required=False,
        widget=DATE,
        help_text=_("Kosongkan untuk memakai tanggal pada NIP."),
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[("", _("Dari NIP")), *Pegawai.JenisKelamin.choices]
    )
    golongan = forms.ChoiceField(label=_("Golongan/ruang"), choices=Golongan.choices)
    tmt_golongan = forms.DateField(label=_("TMT golongan"), required=False, widget=DATE)
    mkg_tahun = forms.IntegerField(label=_("MKG (tahun)"), min_value=0, initial=0)
    mkg_bulan = forms.IntegerField(label=_("MKG (bulan)"), min_value=0, max_value=11, initial=0)
    tmt_cpns = forms.DateField(label=_("TMT CPNS"), required=False, widget=DATE)
    tmt_pns = forms.DateField(label=_("TMT PNS"), required=False, widget=DATE)
    unit = UnitChoiceField(label=_("Unit kerja"), queryset=Unit.objects.none())
    jabatan = forms.ModelChoiceField(label=_("Jabatan"), queryset=Jabatan.objects.none(), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    telepon = forms.CharField(label=_("Telepon"), max_length=20, required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        unit_field: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[assignment]
        jabatan_field: forms.ModelChoiceField = self.fields["jabatan"]  # type: ignore[assignment]
        unit_field.queryset = units if units is not None else Unit.objects.none()
        jabatan_field.queryset = Jabatan.objects.filter(aktif=True, unit__in=unit_field.queryset)


class MutasiLepasForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai yang dilepas"), max_length=30)
    tujuan = forms.ModelChoiceField(label=_("Daerah tujuan"), queryset=Tenant.objects.none())
    sk_nomor = forms.CharField(label=_("Nomor SK"), max_length=100)
    sk_tanggal = forms.DateField(label=_("Tanggal SK"), widget=DATE)
    tmt = forms.DateField(label=_("TMT mutasi"), widget=DATE)

    def __init__(self, *args, current: Tenant | None = None, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        qs = Tenant.objects.filter(status=Tenant.Status.ACTIVE).exclude(jenis=Tenant.Jenis.PLATFORM)
        tujuan: forms.ModelChoiceField = self.fields["tujuan"]  # type: ignore[assignment]
        tujuan.queryset = qs.exclude(pk=current.pk) if current else qs


class MutasiTerimaForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai yang diterima"), max_length=30)
    unit = UnitChoiceField(label=_("Unit kerja tujuan"), queryset=Unit.objects.filter(aktif=True))
    jabatan = forms.ModelChoiceField(
        label=_("Jabatan"), queryset=Jabatan.objects.filter(aktif=True), required=False
    )
    sk_nomor = forms.CharField(label=_("Nomor SK"), max_length=100)
    sk_tanggal = forms.DateField(label=_("Tanggal SK"), widget=DATE)
    tmt = forms.DateField(label=_("TMT"), widget=DATE)


class PeranForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Akun"), queryset=User.objects.filter(is_active=True))
    peran = forms.ChoiceField(label=_("Peran"), choices=User.Peran.choices)
    unit = UnitChoiceField(
        label=_("Unit cakupan"), queryset=Unit.objects.filter(aktif=True), required=False,
        help_text=_("Wajib untuk admin OPD (OPD yang dikelola); untuk pimpinan, unit yang dipimpin."),
    )  # fmt: skip


class PegawaiUbahForm(PegawaiForm):
    """Editing an employee: the NIP stays (a new NIP is a new registration)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        del self.fields["nip"]
        self.fields["jenis_kelamin"].required = True
        self.fields["jenis_kelamin"].choices = Pegawai.JenisKelamin.choices  # type: ignore[attr-defined]
        self.fields["tanggal_lahir"].required = True
        self.fields["tanggal_lahir"].help_text = ""
        self.fields["status"] = forms.ChoiceField(
            label=_("Status kepegawaian"), choices=Pegawai.Status.choices
        )


class RiwayatPangkatForm(forms.Form):
    golongan = forms.ChoiceField(label=_("Golongan/ruang baru"), choices=Golongan.choices)
    tmt = forms.DateField(label=_("TMT"), widget=DATE)
    mkg_tahun = forms.IntegerField(label=_("MKG (tahun)"), min_value=0, initial=0)
    mkg_bulan = forms.IntegerField(label=_("MKG (bulan)"), min_value=0, max_value=11, initial=0)
    sk_nomor = forms.CharField(label=_("Nomor SK"), max_length=100)
    sk_tanggal = forms.DateField(label=_("Tanggal SK"), widget=DATE)


class RiwayatJabatanForm(forms.Form):
    jabatan = forms.ModelChoiceField(label=_("Jabatan baru"), queryset=Jabatan.objects.none())
    tmt = forms.DateField(label=_("TMT"), widget=DATE)
    sk_nomor = forms.CharField(label=_("Nomor SK"), max_length=100)
    sk_tanggal = forms.DateField(label=_("Tanggal SK"), widget=DATE)

    def __init__(self, *args, jabatan=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["jabatan"]  # type: ignore[assignment]
        field.queryset = jabatan if jabatan is not None else Jabatan.objects.none()
