"""Reads on kepegawaian: the organisation tree, positions and employees."""

from modules.kepegawaian.models import Pegawai, Unit


def unit_ancestor_ids(*, unit: Unit) -> list[int]:
    """Ids from the root down to `unit` itself, read from the materialised path."""
    return [int(part) for part in unit.path.split(".") if part]


def kepala_unit_of(*, unit_id: int) -> Pegawai | None:
    """The active holder of the unit's head position (is_kepala_unit), if any."""
    return (
        Pegawai.objects.filter(
            jabatan__unit_id=unit_id,
            jabatan__is_kepala_unit=True,
            jabatan__aktif=True,
            status=Pegawai.Status.AKTIF,
        )
        .select_related("jabatan", "unit")
        .order_by("id")
        .first()
    )


def atasan_for(*, pegawai: Pegawai) -> Pegawai | None:
    """The employee's superior: the head of their unit, or, when they are that head (or the unit
    has none), the head of the nearest ancestor unit. None at the top of the tree."""
    unit = pegawai.unit
    ancestors = unit_ancestor_ids(unit=unit) or [unit.pk]
    heads = {
        head.jabatan.unit_id: head  # type: ignore[union-attr]
        for head in Pegawai.objects.filter(
            jabatan__unit_id__in=ancestors,
            jabatan__is_kepala_unit=True,
            jabatan__aktif=True,
            status=Pegawai.Status.AKTIF,
        )
        .exclude(pk=pegawai.pk)
        .select_related("jabatan", "unit")
        .order_by("-id")
    }
    for unit_id in reversed(ancestors):
        head = heads.get(unit_id)
        if head is not None:
            return head
    return None
