"""Forms of the TPP pages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.tpp.models import PerbupTpp


def _persen(value: Decimal) -> str:
    """`20.00` → `20`, `12.50` → `12,5` (Indonesian decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class HukdisForm(forms.Form):
    """Record a disciplinary sanction: the employee by NIP, the sanction from the Perbup in force."""

    nip = forms.RegexField(
        label=_("NIP pegawai"),
        regex=r"^\d{18}$",
        error_messages={"invalid": _("NIP harus 18 digit angka, tanpa spasi.")},
    )
    kode_jenis = forms.ChoiceField(label=_("Jenis hukuman disiplin"))
    tmt = forms.DateField(
        label=_("TMT (tanggal 1 bulan mulai berlaku)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sk_nomor = forms.CharField(label=_("Nomor SK"), max_length=100)
    keterangan = forms.CharField(label=_("Keterangan"), max_length=255, required=False)

    def __init__(self, *args: Any, perbup: PerbupTpp | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jenis = perbup.jenis_hukdis.all() if perbup is not None else []
        kode_jenis = self.fields["kode_jenis"]
        assert isinstance(kode_jenis, forms.ChoiceField)
        kode_jenis.choices = [(j.kode, f"{j.nama} ({_persen(j.persen)}%, {j.bulan} bln)") for j in jenis]
