"""REST API of kepegawaian under /api/v1/kepegawaian/. Thin: parse, call a service or selector."""

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.accounts.models import User
from eoffice.accounts.selectors import request_user
from eoffice.core.api import Pagination
from eoffice.core.errors import ApplicationError
from eoffice.core.observability import mask_identifier
from modules.kepegawaian import imports, mutasi, selectors, services
from modules.kepegawaian.models import Golongan, Jabatan, Mutasi, Pegawai, RiwayatGaji, Unit
from tenants.models import Tenant


def _paginate(
    view: APIView, request: Request, queryset: Any, serializer: type[serializers.Serializer]
) -> Response:
    paginator = Pagination()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context={"request": request}).data)


def _get(model: Any, pk: Any, field: str) -> Any:
    obj = model.objects.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise ApplicationError(
            _("Data yang dirujuk tidak ditemukan."), fields={field: [_("Tidak ditemukan.")]}
        )
    return obj


def _int(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise ApplicationError(_("Parameter tidak valid."), fields={name: [_("Harus berupa angka.")]})
    return int(value)


# ---------------------------------------------------------------------------------------------
# Units


class UnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    singkatan = serializers.CharField()
    jenis = serializers.CharField()
    kode = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    path = serializers.CharField()
    aktif = serializers.BooleanField()


class UnitListApi(APIView):
    class InputSerializer(serializers.Serializer):
        nama = serializers.CharField(max_length=200)
        jenis = serializers.ChoiceField(choices=Unit.Jenis.choices)
        parent_id = serializers.IntegerField(allow_null=True)
        singkatan = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
        kode = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
        urutan = serializers.IntegerField(min_value=0, required=False, default=0)
        berlaku_mulai = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(
        responses=UnitOutput(many=True),
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("parent", int),
            OpenApiParameter("jenis", str),
        ],
        summary="Units the user may see",
    )
    def get(self, request: Request) -> Response:
        units = selectors.unit_list(
            user=request_user(request), q=request.query_params.get("q", ""), parent_id=_int(request, "parent"),
            jenis=request.query_params.get("jenis", ""),
        )  # fmt: skip
        return _paginate(self, request, units, UnitOutput)

    @extend_schema(request=InputSerializer, responses={201: UnitOutput}, summary="Create a unit")
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent_id = values.pop("parent_id")
        parent = _get(Unit, parent_id, "parent_id") if parent_id is not None else None
        unit = services.unit_create(actor=request_user(request), parent=parent, **values)
        return Response(UnitOutput(unit).data, status=status.HTTP_201_CREATED)


class UnitDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        nama = serializers.CharField(max_length=200, required=False)
        singkatan = serializers.CharField(max_length=30, required=False, allow_blank=True)
        jenis = serializers.ChoiceField(choices=Unit.Jenis.choices, required=False)
        kode = serializers.CharField(max_length=20, required=False, allow_blank=True)
        urutan = serializers.IntegerField(min_value=0, required=False)
        aktif = serializers.BooleanField(required=False)
        berlaku_mulai = serializers.DateField(required=False)
        dasar = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    @extend_schema(responses=UnitOutput, summary="One unit")
    def get(self, request: Request, pk: int) -> Response:
        return Response(UnitOutput(selectors.unit_get_for(user=request_user(request), id=pk)).data)

    @extend_schema(
        request=InputSerializer, responses=UnitOutput, summary="Edit or rename a unit (history kept)"
    )
    def patch(self, request: Request, pk: int) -> Response:
        unit = selectors.unit_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.unit_update(actor=request_user(request), unit=unit, **data.validated_data)
        return Response(UnitOutput(unit).data)


class UnitMoveApi(APIView):
    class InputSerializer(serializers.Serializer):
        parent_id = serializers.IntegerField()
        berlaku_mulai = serializers.DateField(required=False, allow_null=True, default=None)
        dasar = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses=UnitOutput, summary="Move a unit and its subtree")
    def post(self, request: Request, pk: int) -> Response:
        unit = selectors.unit_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent = _get(Unit, values.pop("parent_id"), "parent_id")
        return Response(
            UnitOutput(
                services.unit_move(actor=request_user(request), unit=unit, parent=parent, **values)
            ).data
        )


# ---------------------------------------------------------------------------------------------
# Positions


class JabatanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit_nama = serializers.CharField(source="unit.nama")
    jenis = serializers.CharField()
    jenjang = serializers.CharField()
    kelas_jabatan = serializers.IntegerField()
    eselon = serializers.CharField()
    is_kepala_unit = serializers.BooleanField()
    aktif = serializers.BooleanField()


class JabatanListApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit_id = serializers.IntegerField()
        nama = serializers.CharField(max_length=255)
        jenis = serializers.ChoiceField(choices=Jabatan.Jenis.choices)
        kelas_jabatan = serializers.IntegerField()
        jenjang = serializers.ChoiceField(choices=Jabatan.Jenjang.choices, required=False, default="")
        eselon = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)
        is_kepala_unit = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        responses=JabatanOutput(many=True),
        parameters=[OpenApiParameter("unit", int), OpenApiParameter("q", str)],
        summary="Positions",
    )
    def get(self, request: Request) -> Response:
        items = selectors.jabatan_list(
            user=request_user(request), unit_id=_int(request, "unit"), q=request.query_params.get("q", "")
        )
        return _paginate(self, request, items, JabatanOutput)

    @extend_schema(request=InputSerializer, responses={201: JabatanOutput}, summary="Create a position")
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = _get(Unit, values.pop("unit_id"), "unit_id")
        jabatan = services.jabatan_create(actor=request_user(request), unit=unit, **values)
        return Response(JabatanOutput(jabatan).data, status=status.HTTP_201_CREATED)


class JabatanDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        nama = serializers.CharField(max_length=255, required=False)
        jenis = serializers.ChoiceField(choices=Jabatan.Jenis.choices, required=False)
        jenjang = serializers.ChoiceField(choices=Jabatan.Jenjang.choices, required=False, allow_blank=True)
        kelas_jabatan = serializers.IntegerField(required=False)
        eselon = serializers.CharField(max_length=10, required=False, allow_blank=True)
        is_kepala_unit = serializers.BooleanField(required=False)
        aktif = serializers.BooleanField(required=False)

    @extend_schema(responses=JabatanOutput, summary="One position")
    def get(self, request: Request, pk: int) -> Response:
        return Response(JabatanOutput(selectors.jabatan_get_for(user=request_user(request), id=pk)).data)

    @extend_schema(request=InputSerializer, responses=JabatanOutput, summary="Edit a position")
    def patch(self, request: Request, pk: int) -> Response:
        jabatan = selectors.jabatan_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            JabatanOutput(
                services.jabatan_update(actor=request_user(request), jabatan=jabatan, **data.validated_data)
            ).data
        )


# ---------------------------------------------------------------------------------------------
# Employees


class PegawaiOutput(serializers.Serializer):
    id = serializers.IntegerField()
    nip = serializers.SerializerMethodField()
    nip_display = serializers.SerializerMethodField()
    jenis_pegawai = serializers.CharField()
    nik = serializers.SerializerMethodField()
    nama = serializers.CharField()
    nama_lengkap = serializers.CharField()
    gelar_depan = serializers.CharField()
    gelar_belakang = serializers.CharField()
    tempat_lahir = serializers.CharField()
    tanggal_lahir = serializers.DateField()
    jenis_kelamin = serializers.CharField()
    golongan = serializers.CharField()
    tmt_golongan = serializers.DateField(allow_null=True)
    mkg_tahun = serializers.IntegerField()
    mkg_bulan = serializers.IntegerField()
    tmt_cpns = serializers.DateField(allow_null=True)
    tmt_pns = serializers.DateField(allow_null=True)
    unit_id = serializers.IntegerField()
    unit_nama = serializers.CharField(source="unit.nama")
    jabatan_id = serializers.IntegerField(allow_null=True)
    jabatan_nama = serializers.SerializerMethodField()
    status = serializers.CharField()
    email = serializers.CharField()
    telepon = serializers.CharField()

    def _visibility(
        self, key: str, build: Callable[..., Callable[[Pegawai], bool]]
    ) -> Callable[[Pegawai], bool]:
        # Read once per response, not per row; the context dict is shared by a list's rows.
        cache = cast(dict[str, Any], self.context)
        if key not in cache:
            cache[key] = build(user=request_user(cache["request"]))
        return cast(Callable[[Pegawai], bool], cache[key])

    def _nip_shown(self, obj: Pegawai) -> bool:
        return self._visibility("nip_visible", selectors.pegawai_nip_visibility)(obj)

    def get_nip(self, obj: Pegawai) -> str:
        return obj.nip if self._nip_shown(obj) else mask_identifier(obj.nip)

    def get_nip_display(self, obj: Pegawai) -> str:
        return obj.nip_display if self._nip_shown(obj) else mask_identifier(obj.nip)

    def get_nik(self, obj: Pegawai) -> str:
        # NIK is personal data (UU 27/2022): masked for anyone but the employee and their admins.
        if not obj.nik or self._visibility("nik_visible", selectors.pegawai_nik_visibility)(obj):
            return obj.nik
        return mask_identifier(obj.nik)

    def get_jabatan_nama(self, obj: Pegawai) -> str:
        return obj.jabatan.nama if obj.jabatan else ""


class PegawaiInput(serializers.Serializer):
    nip = serializers.CharField(max_length=30)
    jenis_pegawai = serializers.ChoiceField(choices=Pegawai.JenisPegawai.choices)
    nik = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    gelar_depan = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    nama = serializers.CharField(max_length=200)
    gelar_belakang = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    tempat_lahir = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    tanggal_lahir = serializers.DateField(required=False, allow_null=True, default=None)
    jenis_kelamin = serializers.ChoiceField(choices=Pegawai.JenisKelamin.choices, required=False, default="")
    golongan = serializers.ChoiceField(choices=Golongan.choices)
    tmt_golongan = serializers.DateField(required=False, allow_null=True, default=None)
    mkg_tahun = serializers.IntegerField(min_value=0, required=False, default=0)
    mkg_bulan = serializers.IntegerField(min_value=0, required=False, default=0)
    tmt_cpns = serializers.DateField(required=False, allow_null=True, default=None)
    tmt_pns = serializers.DateField(required=False, allow_null=True, default=None)
    unit_id = serializers.IntegerField()
    jabatan_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=Pegawai.Status.choices, required=False, default=Pegawai.Status.AKTIF
    )
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    telepon = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)


def _pegawai_refs(values: dict[str, Any]) -> dict[str, Any]:
    if "unit_id" in values:
        values["unit"] = _get(Unit, values.pop("unit_id"), "unit_id")
    if "jabatan_id" in values:
        jabatan_id = values.pop("jabatan_id")
        values["jabatan"] = _get(Jabatan, jabatan_id, "jabatan_id") if jabatan_id is not None else None
    return values


class PegawaiListApi(APIView):
    @extend_schema(
        responses=PegawaiOutput(many=True),
        parameters=[
            OpenApiParameter("q", str, description="Nama atau awal NIP"),
            OpenApiParameter("unit", int),
            OpenApiParameter("subtree", bool),
            OpenApiParameter("jenis_pegawai", str),
            OpenApiParameter("golongan", str),
            OpenApiParameter("status", str),
        ],
        summary="Employees the user may see",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        items = selectors.pegawai_list(
            user=request_user(request), q=params.get("q", ""), unit_id=_int(request, "unit"),
            subtree=params.get("subtree", "true") != "false", jenis_pegawai=params.get("jenis_pegawai", ""),
            golongan=params.get("golongan", ""), status=params.get("status", ""),
        )  # fmt: skip
        return _paginate(self, request, items, PegawaiOutput)

    @extend_schema(request=PegawaiInput, responses={201: PegawaiOutput}, summary="Register an employee")
    def post(self, request: Request) -> Response:
        data = PegawaiInput(data=request.data)
        data.is_valid(raise_exception=True)
        pegawai = services.pegawai_create(
            actor=request_user(request), **_pegawai_refs(dict(data.validated_data))
        )
        return Response(
            PegawaiOutput(pegawai, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PegawaiDetailApi(APIView):
    class InputSerializer(PegawaiInput):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields.pop("nip")
            for f in self.fields.values():
                f.required = False

    @extend_schema(responses=PegawaiOutput, summary="One employee")
    def get(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        return Response(PegawaiOutput(pegawai, context={"request": request}).data)

    @extend_schema(request=InputSerializer, responses=PegawaiOutput, summary="Edit an employee")
    def patch(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        pegawai = services.pegawai_update(
            actor=request_user(request), pegawai=pegawai, **_pegawai_refs(dict(data.validated_data))
        )
        return Response(PegawaiOutput(pegawai, context={"request": request}).data)


class RiwayatOutput(serializers.Serializer):
    id = serializers.IntegerField()
    tmt = serializers.DateField()
    sk_nomor = serializers.CharField()
    sk_tanggal = serializers.DateField()


class RiwayatPangkatApi(APIView):
    class InputSerializer(serializers.Serializer):
        golongan = serializers.ChoiceField(choices=Golongan.choices)
        tmt = serializers.DateField()
        mkg_tahun = serializers.IntegerField(min_value=0, default=0)
        mkg_bulan = serializers.IntegerField(min_value=0, max_value=11, default=0)
        sk_nomor = serializers.CharField(max_length=100)
        sk_tanggal = serializers.DateField()

    @extend_schema(request=InputSerializer, responses={201: RiwayatOutput}, summary="Record a rank change")
    def post(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        riwayat = services.riwayat_pangkat_add(
            actor=request_user(request), pegawai=pegawai, **data.validated_data
        )
        return Response(RiwayatOutput(riwayat).data, status=status.HTTP_201_CREATED)


class RiwayatJabatanApi(APIView):
    class InputSerializer(serializers.Serializer):
        jabatan_id = serializers.IntegerField()
        tmt = serializers.DateField()
        sk_nomor = serializers.CharField(max_length=100)
        sk_tanggal = serializers.DateField()

    @extend_schema(request=InputSerializer, responses={201: RiwayatOutput}, summary="Appoint to a position")
    def post(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        jabatan = _get(Jabatan, values.pop("jabatan_id"), "jabatan_id")
        riwayat = services.riwayat_jabatan_add(
            actor=request_user(request), pegawai=pegawai, jabatan=jabatan, **values
        )
        return Response(RiwayatOutput(riwayat).data, status=status.HTTP_201_CREATED)


class RiwayatGajiApi(APIView):
    class InputSerializer(serializers.Serializer):
        jenis = serializers.ChoiceField(choices=RiwayatGaji.Jenis.choices)
        golongan = serializers.ChoiceField(choices=Golongan.choices)
        mkg_tahun = serializers.IntegerField(min_value=0)
        mkg_bulan = serializers.IntegerField(min_value=0, max_value=11, default=0)
        gaji_pokok = serializers.IntegerField(min_value=0)
        tmt = serializers.DateField()
        sk_nomor = serializers.CharField(max_length=100)
        sk_tanggal = serializers.DateField()

    @extend_schema(request=InputSerializer, responses={201: RiwayatOutput}, summary="Record a salary change")
    def post(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        riwayat = services.riwayat_gaji_add(
            actor=request_user(request), pegawai=pegawai, **data.validated_data
        )
        return Response(RiwayatOutput(riwayat).data, status=status.HTTP_201_CREATED)


class PegawaiAkunApi(APIView):
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        peran = serializers.ChoiceField(choices=User.Peran.choices, default=User.Peran.PEGAWAI)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        peran = serializers.CharField()

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer}, summary="Give an employee an account"
    )
    def post(self, request: Request, pk: int) -> Response:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.pegawai_akun_create(
            actor=request_user(request), pegawai=pegawai, **data.validated_data
        )
        return Response(self.OutputSerializer(user).data, status=status.HTTP_201_CREATED)


class PeranApi(APIView):
    class InputSerializer(serializers.Serializer):
        user_id = serializers.IntegerField()
        peran = serializers.ChoiceField(choices=User.Peran.choices)
        unit_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={204: None}, summary="Set a user's role and unit scope")
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = _get(User, values["user_id"], "user_id")
        unit = _get(Unit, values["unit_id"], "unit_id") if values["unit_id"] is not None else None
        services.peran_set(actor=request_user(request), user=user, peran=values["peran"], unit=unit)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------------
# Own profile and change requests


class ProfilSayaApi(APIView):
    @extend_schema(responses=PegawaiOutput, summary="The signed-in employee's own profile")
    def get(self, request: Request) -> Response:
        from modules.kepegawaian.access import pegawai_of

        pegawai = pegawai_of(request_user(request))
        if pegawai is None:
            raise ApplicationError(
                _("Akun Anda belum terhubung dengan data pegawai."), code="not_found", status=404
            )
        return Response(PegawaiOutput(pegawai, context={"request": request}).data)


class PerubahanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    pegawai_id = serializers.IntegerField()
    pegawai_nama = serializers.CharField(source="pegawai.nama_lengkap")
    data = serializers.JSONField()  # type: ignore[assignment]
    alasan = serializers.CharField()
    status = serializers.CharField()
    catatan = serializers.CharField()
    created_at = serializers.DateTimeField()


class PerubahanProfilListApi(APIView):
    class InputSerializer(serializers.Serializer):
        data = serializers.DictField(child=serializers.CharField(allow_blank=True))  # type: ignore[assignment]
        alasan = serializers.CharField(allow_blank=True)

    @extend_schema(responses=PerubahanOutput(many=True), parameters=[OpenApiParameter("status", str)],
                   summary="Change requests: one's own, or those an admin decides")  # fmt: skip
    def get(self, request: Request) -> Response:
        items = selectors.perubahan_profil_list(
            user=request_user(request), status=request.query_params.get("status", "")
        )
        return _paginate(self, request, items, PerubahanOutput)

    @extend_schema(
        request=InputSerializer, responses={201: PerubahanOutput}, summary="Ask to correct one's profile"
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.perubahan_profil_ajukan(user=request_user(request), **data.validated_data)
        return Response(PerubahanOutput(item).data, status=status.HTTP_201_CREATED)


class PerubahanProfilPutuskanApi(APIView):
    class InputSerializer(serializers.Serializer):
        setuju = serializers.BooleanField()
        catatan = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(
        request=InputSerializer, responses=PerubahanOutput, summary="Approve or reject a change request"
    )
    def post(self, request: Request, pk: int) -> Response:
        item = selectors.perubahan_profil_get_for(user=request_user(request), id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.perubahan_profil_putuskan(
            actor=request_user(request), perubahan=item, **data.validated_data
        )
        return Response(PerubahanOutput(item).data)


# ---------------------------------------------------------------------------------------------
# Transfer between regencies


class MutasiOutput(serializers.Serializer):
    id = serializers.IntegerField()
    arah = serializers.CharField()
    nip = serializers.CharField()
    daerah_kode = serializers.CharField()
    daerah_nama = serializers.CharField()
    status = serializers.CharField()
    sk_nomor = serializers.CharField()
    sk_tanggal = serializers.DateField()
    tmt = serializers.DateField()


class MutasiListApi(APIView):
    @extend_schema(responses=MutasiOutput(many=True), summary="Transfers in and out of this regency")
    def get(self, request: Request) -> Response:
        from modules.kepegawaian.access import access_admin_pemda

        access_admin_pemda(user=request_user(request))
        return _paginate(self, request, Mutasi.objects.all(), MutasiOutput)


class MutasiLepasApi(APIView):
    class InputSerializer(serializers.Serializer):
        pegawai_id = serializers.IntegerField()
        tujuan_kode = serializers.CharField(max_length=5)
        sk_nomor = serializers.CharField(max_length=100)
        sk_tanggal = serializers.DateField()
        tmt = serializers.DateField()

    @extend_schema(
        request=InputSerializer,
        responses={201: MutasiOutput},
        summary="Release an employee to another regency",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=values.pop("pegawai_id"))
        tujuan = Tenant.objects.filter(kode=values.pop("tujuan_kode")).first()
        if tujuan is None:
            raise ApplicationError(_("Daerah tujuan tidak terdaftar di platform."),
                                   fields={"tujuan_kode": [_("Daerah tidak ditemukan.")]})  # fmt: skip
        item = mutasi.pegawai_mutasi_lepas(
            actor=request_user(request), pegawai=pegawai, tujuan=tujuan, **values
        )
        return Response(MutasiOutput(item).data, status=status.HTTP_201_CREATED)


class MutasiTerimaApi(APIView):
    class InputSerializer(serializers.Serializer):
        nip = serializers.CharField(max_length=30)
        unit_id = serializers.IntegerField()
        jabatan_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        sk_nomor = serializers.CharField(max_length=100)
        sk_tanggal = serializers.DateField()
        tmt = serializers.DateField()

    @extend_schema(
        request=InputSerializer, responses={201: PegawaiOutput}, summary="Receive a released employee"
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _pegawai_refs(dict(data.validated_data))
        pegawai = mutasi.pegawai_mutasi_terima(actor=request_user(request), **values)
        return Response(
            PegawaiOutput(pegawai, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


# ---------------------------------------------------------------------------------------------
# Import and export


class ImportOutput(serializers.Serializer):
    jumlah_baris = serializers.IntegerField()
    jumlah_valid = serializers.IntegerField()
    diterapkan = serializers.IntegerField()
    masalah = serializers.ListField(child=serializers.DictField())


class _ImportApi(APIView):
    parser_classes = [MultiPartParser]
    apply = False

    class InputSerializer(serializers.Serializer):
        berkas = serializers.FileField()

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses=ImportOutput,
                   summary="Import employees or units from xlsx/CSV (preview writes nothing)")  # fmt: skip
    def post(self, request: Request, jenis: str) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        berkas = data.validated_data["berkas"]
        args = {"user": request.user, "content": berkas.read(), "nama_berkas": berkas.name}
        if self.apply:
            hasil = (imports.pegawai_apply if jenis == "pegawai" else imports.unit_apply)(**args)
            body = {"jumlah_baris": hasil.diterapkan + len(hasil.masalah), "jumlah_valid": hasil.diterapkan,
                    "diterapkan": hasil.diterapkan, "masalah": hasil.masalah}  # fmt: skip
        else:
            preview = (imports.pegawai_preview if jenis == "pegawai" else imports.unit_preview)(**args)
            body = {"jumlah_baris": preview.jumlah, "jumlah_valid": len(preview.valid), "diterapkan": 0,
                    "masalah": [row.as_dict() for row in preview.bermasalah]}  # fmt: skip
        return Response(ImportOutput(body).data)


class ImportPreviewApi(_ImportApi):
    apply = False


class ImportApplyApi(_ImportApi):
    apply = True


_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TemplateApi(APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): bytes}, summary="Import template (xlsx or csv)"
    )
    def get(self, request: Request, jenis: str, fmt: str) -> HttpResponse:
        return _download(imports.template_file(jenis=jenis, format=fmt), f"templat-{jenis}.{fmt}", fmt)


class ExportApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="Export employees or units")
    def get(self, request: Request, jenis: str, fmt: str) -> HttpResponse:
        from modules.kepegawaian.access import cakupan_ubah, is_admin

        if not is_admin(request_user(request)):
            raise ApplicationError(_("Hanya admin yang dapat mengekspor data."), code="forbidden", status=403)
        if jenis == "pegawai":
            items = selectors.pegawai_list(user=request_user(request)).select_related("jabatan", "unit")
            content = imports.pegawai_export(
                pegawai=items.iterator(chunk_size=2000), format=fmt, show_nik=True
            )
        else:
            units = selectors.unit_list(user=request_user(request)).filter(
                cakupan_ubah(request_user(request)).unit_filter()
            )
            content = imports.unit_export(units=units, format=fmt)
        return _download(content, f"{jenis}.{fmt}", fmt)
