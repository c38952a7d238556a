from django import forms
from django.utils.translation import gettext_lazy as _

from modules.cuti.models import JenisCuti


class PermohonanForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis cuti"), choices=JenisCuti.choices)
    mulai = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    selesai = forms.DateField(label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    alamat_selama_cuti = forms.CharField(label=_("Alamat selama cuti"), max_length=255, required=False)
    anak_ke = forms.IntegerField(
        label=_("Anak ke- (cuti melahirkan)"), min_value=1, max_value=20, required=False
    )
    lampiran = forms.FileField(label=_("Lampiran (surat dokter, dll.)"), required=False)
    dokter_pemerintah = forms.BooleanField(
        label=_("Surat dokter dari dokter pemerintah (wajib untuk cuti sakit lebih dari 14 hari)"),
        required=False,
    )
