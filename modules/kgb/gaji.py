"""Gaji pokok PNS from the PP 5/2024 table, and the KGB calendar (a raise at each table step of MKG).

Reference data, identical for every tenant: the CSV shipped beside this module (see data/README.md)
is read once per process into an in-memory lookup.

Rules (data/README.md, DOMAIN.md "KGB"):
- Rows are the table's own steps; an MKG between two steps earns the lower step's salary.
- An MKG past the golongan's last row earns the last row, and the result says so
  (`melewati_tabel`): the II/b and II/c rows for MKG 33 are missing from the published table.
- An MKG below the golongan's first row (I/b–I/d and II/b–II/d start at MKG 3) earns the first row,
  and the result says so (`sebelum_tabel`).
- CPNS receive 80% of gaji pokok. Every table value is a multiple of Rp100, so 80% is an exact
  integer; integer arithmetic, no rounding involved.
- KGB: every 2 years of masa kerja golongan, i.e. when the MKG reaches the golongan's next table step
  (II/a's first step is MKG 1). Past the last row the 2-year rhythm continues up to the highest MKG
  the table has for that golongan group (I: 27, II: 33, III and IV: 32); after that no more KGB.
- TMT of a KGB is the 1st of a month: when the reference date is not a 1st, the raise starts on the
  1st of the following month.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
# The table in force. A new regulation adds a new file and a new key; issued letters keep theirs.
TABEL: dict[str, Path] = {"pp5_2024": DATA_DIR / "gaji_pokok_pns_pp5_2024.csv"}
TABEL_BERLAKU = "pp5_2024"
PERSEN_CPNS = 80


@dataclass(frozen=True)
class GajiPokok:
    golongan: str
    mkg_tahun: int  # the MKG asked for
    mkg_tabel: int  # the table row used
    gaji_pokok: int  # rupiah, 80% for a CPNS
    gaji_pokok_tabel: int  # the table's value (100%)
    cpns: bool
    melewati_tabel: bool
    sebelum_tabel: bool

    @property
    def catatan(self) -> str:
        """What the UI must say about how the row was chosen ("" when the MKG is a row)."""
        notes = []
        if self.melewati_tabel:
            notes.append(
                _(
                    "MKG %(mkg)s tahun melewati baris terakhir tabel golongan %(gol)s; "
                    "gaji pokok baris terakhir (MKG %(row)s tahun) dipakai."
                )
                % {"mkg": self.mkg_tahun, "gol": self.golongan, "row": self.mkg_tabel}
            )
        elif self.sebelum_tabel:
            notes.append(
                _(
                    "MKG %(mkg)s tahun di bawah baris pertama tabel golongan %(gol)s; "
                    "gaji pokok baris pertama (MKG %(row)s tahun) dipakai."
                )
                % {"mkg": self.mkg_tahun, "gol": self.golongan, "row": self.mkg_tabel}
            )
        if self.cpns:
            notes.append(_("CPNS menerima %(persen)s%% gaji pokok.") % {"persen": PERSEN_CPNS})
        return " ".join(notes)


@cache
def tabel_gaji(versi: str = TABEL_BERLAKU) -> dict[str, list[tuple[int, int]]]:
    """golongan → [(mkg_tahun, gaji_pokok), …] sorted by MKG. Loaded once per process."""
    rows: dict[str, list[tuple[int, int]]] = defaultdict(list)
    with TABEL[versi].open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["golongan"]].append((int(row["mkg_tahun"]), int(row["gaji_pokok_idr"])))
    return {golongan: sorted(steps) for golongan, steps in rows.items()}


def _kelompok(golongan: str) -> str:
    return golongan.split("/", 1)[0]


@cache
def _mkg_maks_kelompok(versi: str = TABEL_BERLAKU) -> dict[str, int]:
    maks: dict[str, int] = {}
    for golongan, steps in tabel_gaji(versi).items():
        kelompok = _kelompok(golongan)
        maks[kelompok] = max(maks.get(kelompok, 0), steps[-1][0])
    return maks


def golongan_pns_valid(golongan: str) -> bool:
    return golongan in tabel_gaji()


def _steps(golongan: str, versi: str) -> list[tuple[int, int]]:
    steps = tabel_gaji(versi).get(golongan)
    if not steps:
        from eoffice.core.errors import ApplicationError

        raise ApplicationError(
            _("Golongan %(gol)s tidak ada dalam tabel gaji pokok PNS (I/a–IV/e).") % {"gol": golongan},
            code="golongan_tidak_dikenal",
            fields={"golongan": [_("Golongan tidak dikenal untuk PNS.")]},
        )
    return steps


def gaji_pokok_lookup(
    *, golongan: str, mkg_tahun: int, cpns: bool = False, versi: str = TABEL_BERLAKU
) -> GajiPokok:
    """The gaji pokok for a golongan and masa kerja golongan (whole years)."""
    steps = _steps(golongan, versi)
    if mkg_tahun < 0:
        from eoffice.core.errors import ApplicationError

        raise ApplicationError(
            _("Masa kerja golongan tidak boleh negatif."), fields={"mkg_tahun": [_("Harus 0 atau lebih.")]}
        )
    chosen = steps[0]
    for step in steps:
        if step[0] <= mkg_tahun:
            chosen = step
        else:
            break
    tabel = chosen[1]
    return GajiPokok(
        golongan=golongan,
        mkg_tahun=mkg_tahun,
        mkg_tabel=chosen[0],
        gaji_pokok=tabel * PERSEN_CPNS // 100 if cpns else tabel,
        gaji_pokok_tabel=tabel,
        cpns=cpns,
        melewati_tabel=mkg_tahun > steps[-1][0],
        sebelum_tabel=mkg_tahun < steps[0][0],
    )


def mkg_kgb_berikutnya(*, golongan: str, mkg_tahun: int, versi: str = TABEL_BERLAKU) -> int | None:
    """The MKG (years) of the next KGB after `mkg_tahun`, or None when the table has no further raise."""
    steps = [mkg for mkg, _gaji in _steps(golongan, versi)]
    current_row = gaji_pokok_lookup(golongan=golongan, mkg_tahun=mkg_tahun, versi=versi).mkg_tabel
    for mkg in steps:
        if mkg > mkg_tahun and mkg > current_row:
            return mkg
    # Past the last row: the 2-year rhythm goes on up to the group's highest MKG (table gap).
    maks = _mkg_maks_kelompok(versi)[_kelompok(golongan)]
    candidate = steps[-1] + 2
    while candidate <= mkg_tahun:
        candidate += 2
    return candidate if candidate <= maks else None


def tambah_bulan(tanggal: datetime.date, bulan: int) -> datetime.date:
    """`tanggal` plus whole months; a day past the month's end becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    index = tanggal.year * 12 + (tanggal.month - 1) + bulan
    year, month = divmod(index, 12)
    month += 1
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(tanggal.day, last_day))


def awal_bulan_berikutnya_jika_perlu(tanggal: datetime.date) -> datetime.date:
    """A TMT is always the 1st: a date that is not becomes the 1st of the following month."""
    if tanggal.day == 1:
        return tanggal
    return tambah_bulan(tanggal.replace(day=1), 1)


@dataclass(frozen=True)
class KgbBerikutnya:
    tmt: datetime.date
    mkg_tahun: int
    mkg_bulan: int
    gaji_lama: GajiPokok
    gaji_baru: GajiPokok


def kgb_berikutnya(
    *,
    golongan: str,
    mkg_tahun: int,
    mkg_bulan: int,
    tmt_acuan: datetime.date,
    cpns: bool = False,
    versi: str = TABEL_BERLAKU,
) -> KgbBerikutnya | None:
    """The next KGB from a reference point: the MKG (years, months) held on `tmt_acuan` (the TMT of the
    last SK pangkat or KGB). None when the golongan has no further raise in the table."""
    if not 0 <= mkg_bulan <= 11:
        from eoffice.core.errors import ApplicationError

        raise ApplicationError(
            _("Bulan masa kerja golongan harus 0–11."), fields={"mkg_bulan": [_("Harus antara 0 dan 11.")]}
        )
    target = mkg_kgb_berikutnya(golongan=golongan, mkg_tahun=mkg_tahun, versi=versi)
    if target is None:
        return None
    months = target * 12 - (mkg_tahun * 12 + mkg_bulan)
    tmt = awal_bulan_berikutnya_jika_perlu(tambah_bulan(tmt_acuan, months))
    return KgbBerikutnya(
        tmt=tmt,
        mkg_tahun=target,
        mkg_bulan=0,
        gaji_lama=gaji_pokok_lookup(golongan=golongan, mkg_tahun=mkg_tahun, cpns=cpns, versi=versi),
        gaji_baru=gaji_pokok_lookup(golongan=golongan, mkg_tahun=target, cpns=cpns, versi=versi),
    )
