"""`access.cakupan_data_pribadi`: whose personal records (TPP slips and kinerja, KGB) each role
sees, and the helpers TPP and KGB read it through."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian import access
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pohon(sumedang):
    """Pemda → Dinas A (→ Bidang A1) and Dinas B, one employee in each unit, and the head of Dinas A."""
    with schema_context(sumedang.schema_name):
        root = UnitFactory(nama="Pemda Uji", jenis="pemda")
        dinas_a = UnitFactory(nama="Dinas A", parent=root)
        bidang_a = UnitFactory(nama="Bidang A1", jenis="bidang", parent=dinas_a)
        dinas_b = UnitFactory(nama="Dinas B", parent=root)
        yield {
            "dinas_a": dinas_a,
            "bidang_a": bidang_a,
            "dinas_b": dinas_b,
            "pegawai_a": PegawaiFactory(unit=dinas_a),
            "pegawai_a1": PegawaiFactory(unit=bidang_a),
            "pegawai_b": PegawaiFactory(unit=dinas_b),
            "kepala_a": PegawaiFactory(
                unit=dinas_a, jabatan=JabatanFactory(unit=dinas_a, is_kepala_unit=True, jenis="jpt")
            ),
        }


def _akun(peran, *, pegawai=None, akses=None):
    user = UserFactory(peran=peran)
    if pegawai is not None:
        pegawai.user = user
        pegawai.save(update_fields=["user"])
    if akses is not None:
        AksesUnit.objects.create(user=user, unit=akses)
    return user


def _terlihat(user, pohon):
    """The fixture's employees the user's scope covers, by fixture name."""
    cakupan = access.cakupan_data_pribadi(user=user)
    ids = set(access.pegawai_in_cakupan(cakupan=cakupan).values_list("pk", flat=True))
    names = ("pegawai_a", "pegawai_a1", "pegawai_b", "kepala_a")
    return cakupan, sorted(name for name in names if pohon[name].pk in ids)


def test_admin_pemda_sees_everyone(pohon):
    cakupan, seen = _terlihat(_akun(User.Peran.ADMIN_PEMDA), pohon)

    assert (cakupan.semua, cakupan.boleh_kelola) == (True, True)
    assert seen == ["kepala_a", "pegawai_a", "pegawai_a1", "pegawai_b"]


def test_admin_opd_sees_their_akses_subtree_but_keeps_own_slip(pohon):
    # given an admin OPD for Dinas A whose own employee record sits in Dinas B
    user = _akun(User.Peran.ADMIN_OPD, pegawai=pohon["pegawai_b"], akses=pohon["dinas_a"])

    # when
    cakupan, seen = _terlihat(user, pohon)

    # then: the subtree only (as TPP lists always did), while their own record stays theirs to open
    assert (cakupan.path, cakupan.pegawai_id, cakupan.boleh_kelola) == (
        pohon["dinas_a"].path,
        pohon["pegawai_b"].pk,
        True,
    )
    assert seen == ["kepala_a", "pegawai_a", "pegawai_a1"]
    assert cakupan.mencakup(unit=pohon["dinas_b"], pegawai_id=pohon["pegawai_b"].pk)


def test_admin_opd_without_akses_unit_sees_only_themself(pohon):
    cakupan, seen = _terlihat(_akun(User.Peran.ADMIN_OPD, pegawai=pohon["pegawai_a1"]), pohon)

    assert (cakupan.boleh_kelola, seen) == (False, ["pegawai_a1"])


def test_pimpinan_sees_their_akses_subtree(pohon):
    user = _akun(User.Peran.PIMPINAN, pegawai=pohon["pegawai_b"], akses=pohon["bidang_a"])

    cakupan, seen = _terlihat(user, pohon)

    assert (cakupan.path, seen) == (pohon["bidang_a"].path, ["pegawai_a1"])


def test_pimpinan_without_akses_unit_sees_their_own_unit_subtree(pohon):
    user = _akun(User.Peran.PIMPINAN, pegawai=pohon["pegawai_a"])

    cakupan, seen = _terlihat(user, pohon)

    assert (cakupan.path, seen) == (pohon["dinas_a"].path, ["kepala_a", "pegawai_a", "pegawai_a1"])


def test_unit_head_with_plain_role_sees_their_unit_subtree(pohon):
    # given the head of Dinas A with the ordinary pegawai role (the atasan who scores kinerja)
    user = _akun(User.Peran.PEGAWAI, pegawai=pohon["kepala_a"])

    # when
    cakupan, seen = _terlihat(user, pohon)

    # then
    assert (cakupan.path, cakupan.boleh_kelola) == (pohon["dinas_a"].path, True)
    assert seen == ["kepala_a", "pegawai_a", "pegawai_a1"]


@pytest.mark.parametrize("peran", [User.Peran.PEGAWAI, User.Peran.OPERATOR_LAYANAN])
def test_everyone_else_sees_only_themself(pohon, peran):
    # given an employee of Dinas A (cakupan_lihat lets them see their unit's employees)
    user = _akun(peran, pegawai=pohon["pegawai_a"])

    # when
    cakupan, seen = _terlihat(user, pohon)

    # then: personal records are theirs alone
    assert (cakupan.semua, cakupan.path, cakupan.boleh_kelola) == (False, "", False)
    assert seen == ["pegawai_a"]
    assert not cakupan.mencakup(unit=pohon["dinas_a"], pegawai_id=pohon["kepala_a"].pk)
    assert access.cakupan_lihat(user).contains(pohon["dinas_a"])


def test_account_without_employee_record_sees_nothing(pohon):
    cakupan, seen = _terlihat(_akun(User.Peran.PEGAWAI), pohon)

    assert (cakupan.pegawai_id, cakupan.boleh_kelola, seen) == (None, False, [])


def test_anonymous_is_refused(pohon):
    with pytest.raises(PermissionDenied):
        access.cakupan_data_pribadi(user=AnonymousUser())  # type: ignore[arg-type]


def test_pengelola_unit_is_every_admin_pemda_and_the_admin_opd_above_the_unit(pohon):
    # given admins of every kind around Bidang A1 (under Dinas A), and some who must not count
    pemda = _akun(User.Peran.ADMIN_PEMDA)
    opd_a = _akun(User.Peran.ADMIN_OPD, akses=pohon["dinas_a"])
    opd_a1 = _akun(User.Peran.ADMIN_OPD, akses=pohon["bidang_a"])
    opd_b = _akun(User.Peran.ADMIN_OPD, akses=pohon["dinas_b"])
    opd_tanpa_akses = _akun(User.Peran.ADMIN_OPD)
    pimpinan_a = _akun(User.Peran.PIMPINAN, akses=pohon["dinas_a"])
    pemda_nonaktif = _akun(User.Peran.ADMIN_PEMDA)
    pemda_nonaktif.is_active = False
    pemda_nonaktif.save(update_fields=["is_active"])
    dibuat = {u.pk for u in (pemda, opd_a, opd_a1, opd_b, opd_tanpa_akses, pimpinan_a, pemda_nonaktif)}

    # when
    bidang = list(access.pengelola_unit(unit=pohon["bidang_a"]))
    dinas_a = list(access.pengelola_unit(unit=pohon["dinas_a"]))

    # then: the regency's own admin pemda (from the demo seed) counts as well, each admin once
    assert [u.pk for u in bidang if u.pk in dibuat] == [pemda.pk, opd_a.pk, opd_a1.pk]
    assert [u.pk for u in dinas_a if u.pk in dibuat] == [pemda.pk, opd_a.pk]
    assert {u.peran for u in bidang if u.pk not in dibuat} == {User.Peran.ADMIN_PEMDA}
    assert len(bidang) == len({u.pk for u in bidang})


def test_pengelola_unit_leaves_out_the_admin_of_a_sibling_unit(pohon):
    # given an admin OPD over a sibling of Dinas A (its path is not a whole-segment prefix of
    # Bidang A1's, whatever the ids' digits)
    sibling = UnitFactory(nama="Dinas A bis", parent=pohon["dinas_a"].parent)
    opd_a = _akun(User.Peran.ADMIN_OPD, akses=pohon["dinas_a"])
    opd_sibling = _akun(User.Peran.ADMIN_OPD, akses=sibling)

    ids = set(access.pengelola_unit(unit=pohon["bidang_a"]).values_list("pk", flat=True))

    assert (opd_a.pk in ids, opd_sibling.pk in ids) == (True, False)
