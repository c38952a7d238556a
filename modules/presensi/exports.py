"""Monthly recap as xlsx (openpyxl) and PDF (WeasyPrint), the files TPP officers work with."""

import io
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from modules.presensi.selectors import REKAP_KOLOM, RekapBaris

HEADER = [
    "NIP",
    "Nama",
    "Unit",
    *[k.upper() for k in REKAP_KOLOM],
    "TL1",
    "TL2",
    "TL3",
    "TL4",
    "PSW1",
    "PSW2",
    "PSW3",
    "PSW4",
]


def rekap_xlsx(*, rows: list[RekapBaris], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(
            [
                r.pegawai.nip,
                r.pegawai.nama_lengkap,
                r.pegawai.unit.nama,
                *[r.jumlah[k] for k in REKAP_KOLOM],
                *r.tl[1:],
                *r.psw[1:],
            ]
        )
    ws.column_dimensions["A"].width = 21
    ws.column_dimensions["B"].width = 32
    ws.column_dimensions["C"].width = 28
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The recap is self-contained; nothing outside may be fetched while rendering.
    raise ValueError(f"external resource refused: {url}")


def rekap_pdf(*, context: dict[str, Any], request: HttpRequest) -> bytes:
    from weasyprint import HTML

    html = render_to_string("presensi/rekap_pdf.html", context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
