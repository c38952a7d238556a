"""TPP outputs: the payroll workbook (xlsx) and the PDF recap per OPD."""

import io
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.core.pdf import html_to_pdf
from modules.tpp.models import TppBaris, TppPeriode

KOLOM = (
    ("nip", _("NIP")),
    ("nama", _("Nama")),
    ("nama_opd", _("OPD")),
    ("nama_jabatan", _("Jabatan")),
    ("kelas_jabatan", _("Kelas")),
    ("jenis_pegawai", _("Jenis")),
    ("golongan", _("Golongan")),
    ("besaran", _("Besaran")),
    ("kinerja_nilai", _("Nilai kinerja")),
    ("komponen_kinerja", _("Komponen kinerja")),
    ("potongan_disiplin_persen", _("Potongan disiplin (%)")),
    ("komponen_disiplin", _("Komponen disiplin")),
    # Empty nilai and 0 rupiah under a Perbup without serapan anggaran; the columns stay so a
    # payroll import reads every month's workbook the same way.
    ("serapan_nilai", _("Nilai serapan anggaran OPD")),
    ("komponen_serapan", _("Komponen serapan anggaran")),
    ("bruto", _("TPP kotor")),
    ("potongan_hukdis", _("Potongan hukdis")),
    ("potongan_bpjs", _("Iuran BPJS 1%")),
    ("iuran_bpjs_pemda", _("Iuran BPJS pemda")),
    ("potongan_pph", _("PPh 21 dipotong")),
    ("pph_ditanggung", _("PPh 21 ditanggung pemda")),
    ("netto", _("TPP diterima")),
)


def payroll_xlsx(*, periode: TppPeriode, baris: QuerySet[TppBaris]) -> bytes:
    """One row per employee, amounts as integer rupiah, NIP as text (18 digits lose precision as numbers)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"TPP {periode.tahun}-{periode.bulan:02d}")
    sheet.append([str(label) for _field, label in KOLOM])
    fields = [field for field, _label in KOLOM]
    for row in (
        baris.order_by("nama_opd", "-kelas_jabatan", "nama").values_list(*fields).iterator(chunk_size=2000)
    ):
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    sheet.append([])
    sheet.append([str(_("Status")), periode.get_status_display(), str(_("Perbup")), periode.perbup.nomor])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rekap_opd_pdf(
    *, periode: TppPeriode, opd: dict[str, Any], baris: QuerySet[TppBaris], tenant: Any
) -> bytes:
    html = render_to_string(
        "tpp/rekap_opd_pdf.html",
        {
            "periode": periode,
            "opd": opd,
            "baris": list(baris.order_by("-kelas_jabatan", "nama")),
            "tenant": tenant,
            "ada_serapan": bool(periode.perbup.bobot_serapan),
            "dicetak": formats.date_format(timezone.localtime(timezone.now()), "j F Y H:i"),
        },
    )
    return html_to_pdf(html)
