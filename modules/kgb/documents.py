"""The surat pemberitahuan KGB as HTML and PDF (WeasyPrint), with the regency's kop surat.

Issued unsigned until the persuratan module's electronic signature: the PDF says so on its face.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.core.pdf import html_to_pdf
from eoffice.core.templatetags.money import rupiah_text
from modules.kepegawaian.models import Pegawai
from modules.kgb.gaji import gaji_pokok_lookup
from modules.kgb.models import Kgb


def kop_surat(*, tenant: Any, pegawai: Pegawai) -> dict[str, str]:
    """Letterhead lines: the government, the issuing office and its address (tenant configuration
    `kgb.kop_surat`, with the regency's own name when not configured)."""
    kop = (tenant.config.get("kgb") or {}).get("kop_surat") or {}
    pemerintah = kop.get("pemerintah") or _("Pemerintah %(nama)s") % {"nama": tenant.name}
    return {
        "pemerintah": pemerintah.upper(),
        "instansi": (
            kop.get("instansi") or _("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
        ).upper(),
        "alamat": kop.get("alamat", ""),
        "logo_url": tenant.logo_url if tenant.logo_url.startswith("/static/") else "",
    }


def surat_kgb_context(*, kgb: Kgb, tenant: Any) -> dict[str, Any]:
    pegawai = kgb.pegawai
    lama = gaji_pokok_lookup(
        golongan=kgb.golongan, mkg_tahun=kgb.mkg_lama_tahun, cpns=kgb.cpns, versi=kgb.tabel
    )
    return {
        "kgb": kgb,
        "pegawai": pegawai,
        "kop": kop_surat(tenant=tenant, pegawai=pegawai),
        "tenant": tenant,
        "gaji_lama": rupiah_text(kgb.gaji_lama),
        "gaji_baru": rupiah_text(kgb.gaji_baru),
        "catatan_lama": lama.catatan,
        "tmt": formats.date_format(kgb.tmt, "j F Y"),
        "tanggal_surat": formats.date_format(kgb.tanggal_surat, "j F Y") if kgb.tanggal_surat else "",
        "dibuat": timezone.localtime(timezone.now()),
        "diterbitkan": kgb.status == Kgb.Status.DITERBITKAN,
    }


def surat_kgb_html(*, kgb: Kgb, tenant: Any) -> str:
    return render_to_string("kgb/surat_pemberitahuan.html", surat_kgb_context(kgb=kgb, tenant=tenant))


def surat_kgb_pdf(*, kgb: Kgb, tenant: Any) -> bytes:
    return html_to_pdf(surat_kgb_html(kgb=kgb, tenant=tenant))
