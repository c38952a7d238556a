"""factory_boy factories for kepegawaian; other modules import these for their own tests.

Create them inside `schema_context(tenant.schema_name)`. Units get a correct materialised path.
"""

import datetime

import factory

from modules.kepegawaian.models import Golongan, Jabatan, Pegawai, Unit
from modules.kepegawaian.services import unit_path_for


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    nama = factory.Sequence(lambda n: f"Dinas Uji {n}")
    jenis = Unit.Jenis.DINAS
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = super()._create(model_class, *args, **kwargs)
        unit.path, unit.depth = unit_path_for(parent=unit.parent, unit_id=unit.pk)
        unit.save(update_fields=["path", "depth"])
        return unit


class JabatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jabatan

    nama = factory.Sequence(lambda n: f"Analis Uji {n}")
    unit = factory.SubFactory(UnitFactory)
    jenis = Jabatan.Jenis.PELAKSANA
    kelas_jabatan = 7
    is_kepala_unit = False


def _nip(n: int, tanggal_lahir: datetime.date, kelamin: str) -> str:
    # Birth date, TMT CPNS (birth + 25 years, March), gender digit, sequence: a valid NIP.
    gender = "1" if kelamin == Pegawai.JenisKelamin.LAKI_LAKI else "2"
    return f"{tanggal_lahir:%Y%m%d}{tanggal_lahir.year + 25}03{gender}{n % 1000:03d}"


class PegawaiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pegawai

    class Params:
        n = factory.Sequence(lambda n: n + 1)

    nama = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    jenis_pegawai = Pegawai.JenisPegawai.PNS
    jenis_kelamin = Pegawai.JenisKelamin.LAKI_LAKI
    tanggal_lahir = factory.LazyAttribute(
        lambda o: datetime.date(1970 + o.n // 28 % 30, 1 + o.n // 840 % 12, 1 + o.n % 28)
    )
    nip = factory.LazyAttribute(lambda o: _nip(o.n, o.tanggal_lahir, o.jenis_kelamin))
    golongan = Golongan.III_A
    tmt_golongan = factory.LazyAttribute(lambda o: datetime.date(o.tanggal_lahir.year + 25, 3, 1))
    tmt_cpns = factory.LazyAttribute(lambda o: datetime.date(o.tanggal_lahir.year + 25, 3, 1))
    unit = factory.SubFactory(UnitFactory)
    jabatan = factory.SubFactory(JabatanFactory, unit=factory.SelfAttribute("..unit"))
    status = Pegawai.Status.AKTIF


class UserFactory(factory.django.DjangoModelFactory):
    """A tenant account; `peran` as in User.Peran. Password "eoffice-demo-2026"."""

    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pengguna.uji{n}")
    nama = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@uji.go.id")
    peran = "pegawai"
    password = factory.PostGenerationMethodCall("set_password", "eoffice-demo-2026")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save(update_fields=["password"])
