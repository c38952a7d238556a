"""Forms render and parse; the rules live in the services (tenants.onboarding, tenants.configuration)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import ConfigTemplate, Tenant


class RegistrationForm(forms.Form):
    wilayah = forms.CharField(
        label=_("Kabupaten/kota"),
        help_text=_("Ketik nama atau kode wilayah, misalnya “Kendari” atau “74.71”, lalu pilih dari daftar."),
        widget=forms.TextInput(attrs={"list": "wilayah-list", "autocomplete": "off", "x-model": "wilayah"}),
    )
    nama_pemohon = forms.CharField(label=_("Nama pemohon"), max_length=200)
    jabatan_pemohon = forms.CharField(label=_("Jabatan"), max_length=200)
    email = forms.CharField(label=_("E-mail dinas"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    email_konfirmasi = forms.CharField(label=_("Ulangi e-mail dinas"), widget=forms.EmailInput())
    telepon = forms.CharField(
        label=_("Telepon"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    subdomain = forms.CharField(
        label=_("Subdomain"),
        required=False,
        max_length=32,
        help_text=_("Alamat e-Office daerah Anda; diisi otomatis dari nama daerah."),
        widget=forms.TextInput(attrs={"x-model": "subdomain", "@input": "edited = true"}),
    )
    config_template = forms.TypedChoiceField(
        label=_("Mulai dari konfigurasi daerah lain (opsional)"), required=False, coerce=int, empty_value=None
    )
    terms = forms.BooleanField(
        label=_("Saya menyetujui ketentuan pemrosesan data (data disimpan di Indonesia, PP 71/2019)."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("— Konfigurasi bawaan nasional —"))]
        choices += [(template.pk, template.nama) for template in ConfigTemplate.objects.order_by("nama")]
        cast(forms.TypedChoiceField, self.fields["config_template"]).choices = choices

    def wilayah_kode(self) -> str:
        # "74.71 Kota Kendari" or "74.71": the code is the first word.
        value = (self.cleaned_data.get("wilayah") or "").strip()
        return value.split(" ", 1)[0] if value else ""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300)


# The design system's input padding leaves a colour input no room for its swatch.
_COLOR_STYLE = "width: 5rem; height: 2.6rem; padding: .2rem"


class ConfigForm(forms.Form):
    """The settings page: the configuration document as fields."""

    display_name = forms.CharField(label=_("Nama tampilan"), max_length=100)
    logo_url = forms.CharField(label=_("Alamat logo"), required=False, max_length=500)
    primary_color = forms.CharField(
        label=_("Warna utama"), widget=forms.TextInput(attrs={"type": "color", "style": _COLOR_STYLE})
    )
    secondary_color = forms.CharField(
        label=_("Warna kedua"), widget=forms.TextInput(attrs={"type": "color", "style": _COLOR_STYLE})
    )
    timezone = forms.ChoiceField(label=_("Zona waktu"), choices=Tenant.Zona.choices)
    language = forms.ChoiceField(label=_("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    work_days = forms.TypedMultipleChoiceField(
        label=_("Hari kerja"),
        coerce=int,
        required=False,
        choices=[
            (1, _("Senin")),
            (2, _("Selasa")),
            (3, _("Rabu")),
            (4, _("Kamis")),
            (5, _("Jumat")),
            (6, _("Sabtu")),
            (7, _("Minggu")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.CharField(label=_("Jam masuk"), widget=forms.TextInput(attrs={"type": "time"}))
    end = forms.CharField(label=_("Jam pulang (Senin–Kamis)"), widget=forms.TextInput(attrs={"type": "time"}))
    friday_end = forms.CharField(label=_("Jam pulang Jumat"), widget=forms.TextInput(attrs={"type": "time"}))
    ramadan_start_date = forms.CharField(
        label=_("Ramadan mulai"), required=False, widget=forms.TextInput(attrs={"type": "date"})
    )
    ramadan_end_date = forms.CharField(
        label=_("Ramadan selesai"), required=False, widget=forms.TextInput(attrs={"type": "date"})
    )
    ramadan_start = forms.CharField(
        label=_("Jam masuk Ramadan"), widget=forms.TextInput(attrs={"type": "time"})
    )
    ramadan_end = forms.CharField(
        label=_("Jam pulang Ramadan"), widget=forms.TextInput(attrs={"type": "time"})
    )
    modules = forms.MultipleChoiceField(
        label=_("Modul aktif"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kepegawaian selalu aktif."),
    )
    letter_format = forms.CharField(
        label=_("Format nomor surat"),
        max_length=120,
        help_text=_("Penanda: {nomor}, {kode_klasifikasi}, {unit}, {bulan_romawi}, {bulan}, {tahun}."),
    )
    notify_email = forms.BooleanField(label=_("Kirim notifikasi e-mail"), required=False)
    notify_in_app = forms.BooleanField(label=_("Tampilkan notifikasi di aplikasi"), required=False)
    digest_hour = forms.IntegerField(label=_("Jam ringkasan harian (0–23)"))
    custom_domains = forms.CharField(
        label=_("Domain khusus"),
        required=False,
        help_text=_("Satu per baris, misalnya eoffice.kendarikota.go.id."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(label=_("Catatan perubahan"), required=False, max_length=300)

    # Form field → dotted configuration path, to show service errors on the right field.
    FIELD_PATHS = {
        "branding.logo_url": "logo_url",
        "branding.primary_color": "primary_color",
        "branding.secondary_color": "secondary_color",
        "calendar.work_days": "work_days",
        "calendar.start": "start",
        "calendar.end": "end",
        "calendar.friday_end": "friday_end",
        "calendar.ramadan.start_date": "ramadan_start_date",
        "calendar.ramadan.end_date": "ramadan_end_date",
        "calendar.ramadan.start": "ramadan_start",
        "calendar.ramadan.end": "ramadan_end",
        "letter_numbering.format": "letter_format",
        "notifications.digest_hour": "digest_hour",
        "notifications.email": "notify_email",
        "notifications.in_app": "notify_in_app",
    }

    def __init__(self, *args: Any, modules: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["modules"]).choices = modules

    @classmethod
    def initial_from(cls, config: dict[str, Any]) -> dict[str, Any]:
        calendar = config.get("calendar", {})
        ramadan = calendar.get("ramadan", {})
        return {
            "display_name": config.get("display_name", ""),
            "logo_url": config.get("branding", {}).get("logo_url", ""),
            "primary_color": config.get("branding", {}).get("primary_color", "#0f5c8c"),
            "secondary_color": config.get("branding", {}).get("secondary_color", "#f2a900"),
            "timezone": config.get("timezone"),
            "language": config.get("language", "id"),
            "work_days": calendar.get("work_days", []),
            "start": calendar.get("start"),
            "end": calendar.get("end"),
            "friday_end": calendar.get("friday_end"),
            "ramadan_start_date": ramadan.get("start_date", ""),
            "ramadan_end_date": ramadan.get("end_date", ""),
            "ramadan_start": ramadan.get("start", "08:00"),
            "ramadan_end": ramadan.get("end", "15:00"),
            "modules": config.get("modules", []),
            "letter_format": config.get("letter_numbering", {}).get("format", ""),
            "notify_email": config.get("notifications", {}).get("email", True),
            "notify_in_app": config.get("notifications", {}).get("in_app", True),
            "digest_hour": config.get("notifications", {}).get("digest_hour", 7),
            "custom_domains": "\n".join(config.get("custom_domains", [])),
        }

    def to_config(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        config = dict(current)
        config.update(
            {
                "display_name": data["display_name"],
                "branding": {
                    "logo_url": data["logo_url"],
                    "primary_color": data["primary_color"],
                    "secondary_color": data["secondary_color"],
                },
                "timezone": data["timezone"],
                "language": data["language"],
                "calendar": {
                    "work_days": data["work_days"],
                    "start": data["start"],
                    "end": data["end"],
                    "friday_end": data["friday_end"],
                    "ramadan": {
                        "start_date": data["ramadan_start_date"],
                        "end_date": data["ramadan_end_date"],
                        "start": data["ramadan_start"],
                        "end": data["ramadan_end"],
                    },
                },
                "modules": data["modules"],
                "letter_numbering": {"format": data["letter_format"]},
                "notifications": {
                    "email": data["notify_email"],
                    "in_app": data["notify_in_app"],
                    "digest_hour": data["digest_hour"],
                },
                "custom_domains": [
                    line.strip() for line in data["custom_domains"].splitlines() if line.strip()
                ],
            }
        )
        return config
