"""Writes on kepegawaian: the organisation tree, positions, employees and their history.

Every write is keyword-only, atomic, validated and audited (STYLE.md rule 1).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from modules.kepegawaian.models import Unit


def unit_path_for(*, parent: Unit | None, unit_id: int) -> tuple[str, int]:
    """The materialised path and depth of a unit with id `unit_id` placed under `parent`."""
    if parent is None:
        return f"{unit_id}.", 0
    return f"{parent.path}{unit_id}.", parent.depth + 1


def _wilayah_jenis(kode: str) -> str:
    # Kemendagri code PP.KK.CC.XNNN: X=1 kelurahan, 2 desa, 3 desa adat (DOMAIN.md).
    return Unit.Jenis.KELURAHAN if kode.split(".")[3].startswith("1") else Unit.Jenis.DESA


def unit_skeleton_seed(*, nama_pemda: str, wilayah: list[tuple[str, str, int]]) -> Unit:
    """Create the regency's skeleton: the Pemda root, its kecamatan and their kelurahan/desa.

    `wilayah` holds (kode, nama, level) rows: level 3 kecamatan (`74.71.01`), level 4
    kelurahan/desa (`74.71.01.1001`). Rows at other levels are ignored. Runs in a few bulk
    statements (a regency has up to ~300 villages). Safe to call again: an existing root is
    reused and units whose kode already exists are skipped.
    """
    with transaction.atomic():
        root = Unit.objects.filter(parent__isnull=True, jenis=Unit.Jenis.PEMDA).order_by("id").first()
        if root is None:
            root = Unit.objects.create(nama=nama_pemda, jenis=Unit.Jenis.PEMDA)
            root.path, root.depth = unit_path_for(parent=None, unit_id=root.pk)
            root.save(update_fields=["path", "depth"])
        existing = dict(
            Unit.objects.filter(path__startswith=root.path)
            .exclude(kode="")
            .values_list("kode", "id")
        )

        kecamatan_rows = [(kode, nama) for kode, nama, level in wilayah if level == 3]
        desa_rows = [(kode, nama) for kode, nama, level in wilayah if level == 4]

        new_kecamatan = [
            Unit(nama=nama, kode=kode, jenis=Unit.Jenis.KECAMATAN, parent=root, urutan=i)
            for i, (kode, nama) in enumerate(sorted(kecamatan_rows), start=1)
            if kode not in existing
        ]
        Unit.objects.bulk_create(new_kecamatan)
        for unit in new_kecamatan:
            unit.path, unit.depth = unit_path_for(parent=root, unit_id=unit.pk)
        Unit.objects.bulk_update(new_kecamatan, ["path", "depth"])

        kecamatan_by_kode = {
            unit.kode: unit
            for unit in Unit.objects.filter(parent=root, jenis=Unit.Jenis.KECAMATAN).exclude(kode="")
        }
        new_desa = []
        for i, (kode, nama) in enumerate(sorted(desa_rows), start=1):
            if kode in existing:
                continue
            parent = kecamatan_by_kode.get(kode.rsplit(".", 1)[0])
            if parent is None:
                raise ValueError(_("Kecamatan untuk wilayah %(kode)s tidak ada dalam daftar.") % {"kode": kode})
            new_desa.append(Unit(nama=nama, kode=kode, jenis=_wilayah_jenis(kode), parent=parent, urutan=i))
        Unit.objects.bulk_create(new_desa)
        for unit in new_desa:
            unit.path, unit.depth = unit_path_for(parent=unit.parent, unit_id=unit.pk)
        Unit.objects.bulk_update(new_desa, ["path", "depth"], batch_size=500)
    return root
