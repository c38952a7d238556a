"""The TPP arithmetic for one employee and one month: pure functions, no database.

    besaran      = base(kelas jabatan [, jenis jabatan] [, jenis unit])        (CPNS: × persen CPNS)
    kinerja      = besaran × bobot kinerja × nilai kinerja / 100
    disiplin     = besaran × bobot disiplin × (100% − min(Σ potongan, batas))
    serapan      = besaran × bobot serapan × nilai serapan / 100   (realisasi serapan anggaran OPD)
    bruto        = kinerja + disiplin + serapan
    hukdis       = bruto × persen hukdis (the heaviest sanction in force that month)
    BPJS pegawai = persen pegawai × (min(gaji pokok + TPP, batas atas) − gaji pokok), never below 0
    PPh 21       = tarif golongan × (bruto − hukdis)          (deducted only when the Perbup says so)
    netto        = bruto − hukdis − BPJS pegawai − PPh 21 dipotong

Rounding rule: percentages are exact Decimals and are never rounded; each rupiah amount above
(kinerja, disiplin, serapan, hukdis, BPJS, PPh) is rounded once, half up, to a whole rupiah, and the totals are
sums and differences of those rounded amounts, so every line on the slip adds up exactly.

Components: a Perbup weighs kinerja and disiplin, and optionally serapan anggaran (the budget
absorption of the employee's OPD in the month, 0–100%); the three weights add up to 100 (60/40,
40/60, 80/10/10). A Perbup with bobot serapan 0 has no serapan line at all.

Missing inputs: a month without the employee's kinerja score, or (when bobot serapan > 0) without
the OPD's serapan value, counts that component as 0, marks the line for attention and says so on
the slip; the reviewer fills the value in and recomputes before locking.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SERATUS = Decimal(100)


def rupiah(amount: Decimal) -> int:
    """Round to a whole rupiah, half up (Rp0,50 → Rp1)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Besaran:
    kelas_jabatan: int
    jenis_jabatan: str  # "" = every kind
    jenis_unit: str  # "" = every unit kind
    besaran: int


@dataclass(frozen=True)
class JenisHukdis:
    kode: str
    nama: str
    persen: Decimal
    bulan: int


@dataclass(frozen=True)
class ParameterTpp:
    """The numbers of one Perbup, as the arithmetic needs them."""

    besaran: tuple[Besaran, ...]
    bobot_kinerja: Decimal
    bobot_disiplin: Decimal
    band: dict[tuple[str, int], Decimal]  # ("tl"|"psw", 1..4) → % per occurrence
    potongan_tk_per_hari: Decimal
    potongan_izin_per_hari: Decimal
    potongan_disiplin_maks: Decimal
    persen_cpns: Decimal
    bpjs_persen_total: Decimal
    bpjs_persen_pegawai: Decimal
    bpjs_batas_atas: int
    pajak_dipotong: bool
    tarif_pph_gol_iv: Decimal
    tarif_pph_gol_iii: Decimal
    tarif_pph_lainnya: Decimal
    hukdis: dict[str, JenisHukdis] = field(default_factory=dict)
    bobot_serapan: Decimal = Decimal(0)

    def besaran_untuk(self, *, kelas_jabatan: int, jenis_jabatan: str, jenis_unit: str) -> int | None:
        best: tuple[int, int] | None = None
        for row in self.besaran:
            if row.kelas_jabatan != kelas_jabatan:
                continue
            if row.jenis_jabatan not in ("", jenis_jabatan) or row.jenis_unit not in ("", jenis_unit):
                continue
            score = (row.jenis_jabatan != "") + (row.jenis_unit != "")
            if best is None or score > best[0]:
                best = (score, row.besaran)
        return None if best is None else best[1]

    def tarif_pph(self, *, golongan: str, jenis_pegawai: str) -> Decimal:
        if jenis_pegawai != "pppk" and golongan.startswith("IV/"):
            return self.tarif_pph_gol_iv
        if jenis_pegawai != "pppk" and golongan.startswith("III/"):
            return self.tarif_pph_gol_iii
        return self.tarif_pph_lainnya


@dataclass(frozen=True)
class HariDisiplin:
    """A day that costs discipline: TL/PSW band, TK or izin."""

    tanggal: datetime.date
    status: str
    tl: int = 0
    psw: int = 0


@dataclass(frozen=True)
class MasukanPegawai:
    jenis_pegawai: str  # pns | cpns | pppk
    golongan: str
    kelas_jabatan: int | None
    jenis_jabatan: str
    jenis_unit: str
    kinerja_nilai: Decimal | None
    hari: tuple[HariDisiplin, ...] = ()
    hukdis_kode: tuple[str, ...] = ()  # sanctions in force this month
    gaji_pokok: int = 0
    # Realisasi serapan anggaran of the employee's OPD this month (None: not entered), and the
    # labels the slip line names it by.
    serapan_nilai: Decimal | None = None
    nama_opd: str = ""
    tahun: int = 0
    bulan: int = 0


@dataclass
class HasilTpp:
    besaran: int = 0
    kinerja_nilai: Decimal | None = None
    potongan_disiplin_persen: Decimal = Decimal(0)
    komponen_kinerja: int = 0
    komponen_disiplin: int = 0
    serapan_nilai: Decimal | None = None
    komponen_serapan: int = 0
    bruto: int = 0
    hukdis_persen: Decimal = Decimal(0)
    potongan_hukdis: int = 0
    potongan_bpjs: int = 0
    iuran_bpjs_pemda: int = 0
    potongan_pph: int = 0
    pph_ditanggung: int = 0
    netto: int = 0
    # Structured lines; the slip renders them in the reader's language (selectors.slip_uraian).
    rincian: list[dict] = field(default_factory=list)
    perlu_perhatian: bool = False


def _pct(value: Decimal) -> str:
    return format(value.normalize(), "f")


def hitung_tpp(*, parameter: ParameterTpp, masukan: MasukanPegawai) -> HasilTpp:
    """One employee's TPP for one month, with every line of the slip."""
    p = parameter
    hasil = HasilTpp(kinerja_nilai=masukan.kinerja_nilai)
    lines = hasil.rincian

    if masukan.kelas_jabatan is None:
        lines.append({"kode": "tanpa_jabatan"})
        hasil.perlu_perhatian = True
        return hasil
    besaran = p.besaran_untuk(
        kelas_jabatan=masukan.kelas_jabatan,
        jenis_jabatan=masukan.jenis_jabatan,
        jenis_unit=masukan.jenis_unit,
    )
    if besaran is None:
        lines.append({"kode": "tanpa_besaran", "kelas": masukan.kelas_jabatan})
        hasil.perlu_perhatian = True
        return hasil
    hasil.besaran = besaran
    lines.append({"kode": "besaran", "kelas": masukan.kelas_jabatan, "nominal": besaran})

    dasar = Decimal(besaran)
    if masukan.jenis_pegawai == "cpns":
        dasar = dasar * p.persen_cpns / SERATUS
        lines.append({"kode": "cpns", "persen": _pct(p.persen_cpns), "nominal": rupiah(dasar)})

    nilai = masukan.kinerja_nilai
    if nilai is None:
        hasil.perlu_perhatian = True
        lines.append({"kode": "kinerja_kosong", "bobot": _pct(p.bobot_kinerja)})
        nilai = Decimal(0)
    hasil.komponen_kinerja = rupiah(dasar * p.bobot_kinerja / SERATUS * nilai / SERATUS)
    if masukan.kinerja_nilai is not None:
        lines.append(
            {
                "kode": "kinerja",
                "bobot": _pct(p.bobot_kinerja),
                "nilai": _pct(nilai),
                "nominal": hasil.komponen_kinerja,
            }
        )

    total = Decimal(0)
    for hari in sorted(masukan.hari, key=lambda h: h.tanggal):
        tanggal = hari.tanggal.isoformat()
        if hari.status == "tk" and p.potongan_tk_per_hari:
            total += p.potongan_tk_per_hari
            lines.append({"kode": "tk", "tanggal": tanggal, "persen": _pct(p.potongan_tk_per_hari)})
        elif hari.status == "izin" and p.potongan_izin_per_hari:
            total += p.potongan_izin_per_hari
            lines.append({"kode": "izin", "tanggal": tanggal, "persen": _pct(p.potongan_izin_per_hari)})
        for jenis, band in (("tl", hari.tl), ("psw", hari.psw)):
            if band and p.band.get((jenis, band)):
                persen = p.band[(jenis, band)]
                total += persen
                lines.append({"kode": jenis, "band": band, "tanggal": tanggal, "persen": _pct(persen)})
    if total > p.potongan_disiplin_maks:
        lines.append(
            {"kode": "batas_disiplin", "total": _pct(total), "persen": _pct(p.potongan_disiplin_maks)}
        )
        total = p.potongan_disiplin_maks
    hasil.potongan_disiplin_persen = total
    hasil.komponen_disiplin = rupiah(dasar * p.bobot_disiplin / SERATUS * (SERATUS - total) / SERATUS)
    lines.append(
        {
            "kode": "disiplin",
            "bobot": _pct(p.bobot_disiplin),
            "persen": _pct(total),
            "nominal": hasil.komponen_disiplin,
        }
    )

    if p.bobot_serapan:
        hasil.serapan_nilai = masukan.serapan_nilai
        label = {"opd": masukan.nama_opd, "tahun": masukan.tahun, "bulan": masukan.bulan}
        if masukan.serapan_nilai is None:
            # Same rule as a missing kinerja score: the component counts 0 and the line needs review.
            hasil.perlu_perhatian = True
            lines.append({"kode": "serapan_kosong", "bobot": _pct(p.bobot_serapan), **label})
        else:
            hasil.komponen_serapan = rupiah(
                dasar * p.bobot_serapan / SERATUS * masukan.serapan_nilai / SERATUS
            )
            lines.append(
                {
                    "kode": "serapan",
                    "bobot": _pct(p.bobot_serapan),
                    "nilai": _pct(masukan.serapan_nilai),
                    "nominal": hasil.komponen_serapan,
                    **label,
                }
            )
    hasil.bruto = hasil.komponen_kinerja + hasil.komponen_disiplin + hasil.komponen_serapan
    lines.append({"kode": "bruto", "nominal": hasil.bruto})

    berlaku = [p.hukdis[kode] for kode in masukan.hukdis_kode if kode in p.hukdis]
    if berlaku:
        terberat = max(berlaku, key=lambda h: h.persen)
        hasil.hukdis_persen = terberat.persen
        hasil.potongan_hukdis = rupiah(Decimal(hasil.bruto) * terberat.persen / SERATUS)
        lines.append(
            {
                "kode": "hukdis",
                "nama": terberat.nama,
                "persen": _pct(terberat.persen),
                "nominal": -hasil.potongan_hukdis,
            }
        )
    setelah_hukdis = hasil.bruto - hasil.potongan_hukdis

    # BPJS Kesehatan: gaji pokok already pays its share; TPP pays on what it adds below the cap.
    dasar_bpjs = max(0, min(masukan.gaji_pokok + setelah_hukdis, p.bpjs_batas_atas) - masukan.gaji_pokok)
    hasil.potongan_bpjs = rupiah(Decimal(dasar_bpjs) * p.bpjs_persen_pegawai / SERATUS)
    hasil.iuran_bpjs_pemda = rupiah(
        Decimal(dasar_bpjs) * (p.bpjs_persen_total - p.bpjs_persen_pegawai) / SERATUS
    )
    if hasil.potongan_bpjs:
        lines.append(
            {
                "kode": "bpjs",
                "persen": _pct(p.bpjs_persen_pegawai),
                "dasar": dasar_bpjs,
                "nominal": -hasil.potongan_bpjs,
            }
        )

    tarif = p.tarif_pph(golongan=masukan.golongan, jenis_pegawai=masukan.jenis_pegawai)
    pph = rupiah(Decimal(setelah_hukdis) * tarif / SERATUS)
    if p.pajak_dipotong:
        hasil.potongan_pph = pph
        if pph:
            lines.append({"kode": "pph", "persen": _pct(tarif), "nominal": -pph})
    else:
        hasil.pph_ditanggung = pph
        if pph:
            lines.append({"kode": "pph_ditanggung", "persen": _pct(tarif), "nominal": pph})

    hasil.netto = setelah_hukdis - hasil.potongan_bpjs - hasil.potongan_pph
    lines.append({"kode": "netto", "nominal": hasil.netto})
    return hasil
