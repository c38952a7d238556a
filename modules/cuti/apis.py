"""REST API of cuti under /api/v1/cuti/."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.core.errors import ApplicationError
from modules.cuti.models import JenisCuti, PermohonanCuti
from modules.cuti.selectors import cuti_tahunan_menunggu, permohonan_get_for, permohonan_list_for
from modules.cuti.services import cuti_ajukan, cuti_batal, cuti_putus, saldo_cuti_buka
from modules.kepegawaian.models import Pegawai
from modules.presensi.selectors import pegawai_for_user, tenant_zone


def _pegawai(request: Request) -> Pegawai:
    pegawai = pegawai_for_user(user=request.user)
    if pegawai is None:
        raise ApplicationError(
            _("Akun Anda belum terhubung dengan data pegawai."), code="bukan_pegawai", status=403
        )
    return pegawai


def _get(request: Request, pk: int) -> PermohonanCuti:
    try:
        return permohonan_get_for(pegawai=_pegawai(request), pk=pk)
    except PermohonanCuti.DoesNotExist as exc:
        raise ApplicationError(_("Permohonan cuti tidak ditemukan."), code="not_found", status=404) from exc


class PermohonanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    jenis = serializers.CharField()
    mulai = serializers.DateField()
    selesai = serializers.DateField()
    lama_hari = serializers.IntegerField()
    alasan = serializers.CharField()
    status = serializers.CharField()
    tingkat = serializers.IntegerField()
    nomor_surat = serializers.CharField()
    catatan = serializers.CharField()


class SaldoApi(APIView):
    class OutputSerializer(serializers.Serializer):
        tahun = serializers.IntegerField()
        saldo = serializers.IntegerField()
        menunggu = serializers.IntegerField()
        tersedia = serializers.IntegerField()

    @extend_schema(
        responses=OutputSerializer, summary="Cuti tahunan balance of the signed-in employee (?tahun=)"
    )
    def get(self, request: Request) -> Response:
        pegawai = _pegawai(request)
        raw = request.query_params.get("tahun") or str(timezone.localdate(timezone=tenant_zone()).year)
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise ApplicationError(_("Tahun tidak valid."), fields={"tahun": [_("Isi tahun empat angka.")]})
        tahun = int(raw)
        saldo = saldo_cuti_buka(pegawai=pegawai, tahun=tahun)
        menunggu = cuti_tahunan_menunggu(pegawai=pegawai, tahun=tahun)
        return Response({"tahun": tahun, "saldo": saldo, "menunggu": menunggu, "tersedia": saldo - menunggu})


class PermohonanApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        jenis = serializers.ChoiceField(choices=JenisCuti.choices)
        mulai = serializers.DateField()
        selesai = serializers.DateField()
        alasan = serializers.CharField(max_length=2000)
        alamat_selama_cuti = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=255
        )
        anak_ke = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=20
        )
        lampiran = serializers.FileField(required=False)
        dokter_pemerintah = serializers.BooleanField(required=False, default=False)

    @extend_schema(responses=PermohonanOutput(many=True), summary="The signed-in employee's leave requests")
    def get(self, request: Request) -> Response:
        return Response(
            PermohonanOutput(permohonan_list_for(pegawai=_pegawai(request))[:100], many=True).data
        )

    @extend_schema(request=InputSerializer, responses={201: PermohonanOutput}, summary="Request leave")
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = cuti_ajukan(user=request.user, **serializer.validated_data)
        return Response(PermohonanOutput(row).data, status=status.HTTP_201_CREATED)


class PutusApi(APIView):
    class InputSerializer(serializers.Serializer):
        setuju = serializers.BooleanField()
        catatan = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)

    @extend_schema(
        request=InputSerializer,
        responses={200: PermohonanOutput},
        summary="Approve or reject (current level)",
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = cuti_putus(user=request.user, permohonan=_get(request, pk), **serializer.validated_data)
        return Response(PermohonanOutput(row).data)


class BatalApi(APIView):
    class InputSerializer(serializers.Serializer):
        alasan = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)

    @extend_schema(
        request=InputSerializer, responses={200: PermohonanOutput}, summary="Cancel one's own request"
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = cuti_batal(user=request.user, permohonan=_get(request, pk), **serializer.validated_data)
        return Response(PermohonanOutput(row).data)
