"""Test setup shared by the TPP tests."""

import datetime

from modules.presensi.models import PenutupanHari


def presensi_tutup(*, mulai: datetime.date, sampai: datetime.date) -> None:
    """Mark every day from `mulai` to `sampai` closed, as presensi's nightly job leaves a regency
    that runs it (TPP refuses a month with a working day not closed). The statuses themselves
    are what each test creates."""
    days = (sampai - mulai).days + 1
    PenutupanHari.objects.bulk_create(
        [PenutupanHari(tanggal=mulai + datetime.timedelta(days=i)) for i in range(days)],
        ignore_conflicts=True,
    )


def presensi_tutup_2025_2026() -> None:
    """Every day of 2025 and 2026, the months the TPP tests compute."""
    presensi_tutup(mulai=datetime.date(2025, 1, 1), sampai=datetime.date(2026, 12, 31))
