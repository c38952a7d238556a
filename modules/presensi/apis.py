"""REST API of presensi under /api/v1/presensi/. The check-in endpoint is built for the PWA and
its offline replays: the same client UUID always gets the same answer."""

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.core.api import shared_serializer
from eoffice.core.errors import ApplicationError
from modules.presensi.models import KoreksiPresensi, Presensi
from modules.presensi.selectors import (
    hari_libur_nama,
    jadwal_for,
    lokasi_for,
    pegawai_for_user,
    presensi_list,
    status_harian_bulan,
    tenant_zone,
)
from modules.presensi.services import koreksi_ajukan, koreksi_putus, presensi_catat


def _pegawai(request: Request) -> Any:
    pegawai = pegawai_for_user(user=request.user)
    if pegawai is None:
        raise ApplicationError(
            _("Akun Anda belum terhubung dengan data pegawai. Hubungi admin kepegawaian."),
            code="bukan_pegawai",
            status=403,
        )
    return pegawai


class PresensiOutput(serializers.Serializer):
    id = serializers.IntegerField()
    client_uuid = serializers.UUIDField()
    jenis = serializers.CharField()
    tanggal = serializers.DateField()
    waktu = serializers.DateTimeField()
    waktu_perangkat = serializers.DateTimeField()
    waktu_server = serializers.DateTimeField()
    status = serializers.CharField()
    tanda = serializers.ListField(child=serializers.CharField())
    alasan = serializers.CharField()
    jarak_m = serializers.IntegerField(allow_null=True)
    lokasi = serializers.CharField(source="lokasi.nama", default="")


class CheckinApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        jenis = serializers.ChoiceField(choices=Presensi.Jenis.choices)
        latitude = serializers.DecimalField(max_digits=12, decimal_places=8, min_value=-90, max_value=90)
        longitude = serializers.DecimalField(max_digits=12, decimal_places=8, min_value=-180, max_value=180)
        akurasi_m = serializers.FloatField(min_value=0, max_value=100_000)
        waktu_perangkat = serializers.DateTimeField()
        dikirim_perangkat = serializers.DateTimeField(required=False)
        alasan = serializers.ChoiceField(choices=Presensi.Alasan.choices, required=False, default="")
        keterangan = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)
        swafoto = serializers.FileField(required=False)

    @extend_schema(
        request=InputSerializer,
        responses={201: PresensiOutput, 200: PresensiOutput},
        summary="Check in or out (idempotent by client_uuid; 200 for a replay)",
    )
    def post(self, request: Request) -> Response:
        data = shared_serializer(self.InputSerializer).run_validation(request.data)
        row, created = presensi_catat(user=request.user, **data)
        body = shared_serializer(PresensiOutput).to_representation(row)
        body["replay"] = not created
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class JadwalOutput(serializers.Serializer):
    nama = serializers.CharField()
    masuk = serializers.CharField()
    pulang = serializers.CharField()


class LokasiOutput(serializers.Serializer):
    nama = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    radius_m = serializers.IntegerField()


class HariIniApi(APIView):
    class OutputSerializer(serializers.Serializer):
        tanggal = serializers.DateField()
        zona = serializers.CharField()
        server_time = serializers.DateTimeField()
        nama = serializers.CharField()
        libur = serializers.CharField()
        jadwal = JadwalOutput(allow_null=True)
        lokasi = LokasiOutput(many=True)
        presensi = PresensiOutput(many=True)

    @extend_schema(
        responses=OutputSerializer,
        summary="Today's schedule, locations and check-ins of the signed-in employee",
    )
    def get(self, request: Request) -> Response:
        pegawai = _pegawai(request)
        zone = tenant_zone()
        today = timezone.localdate(timezone=zone)
        hari_ini = jadwal_for(pegawai=pegawai, tanggal=today, zone=zone)
        rows = presensi_list(pegawai=pegawai, mulai=today, sampai=today)
        return Response(
            {
                "tanggal": today.isoformat(),
                "zona": zone.key,
                "server_time": timezone.now().isoformat(),
                "nama": pegawai.nama_lengkap,
                "libur": hari_libur_nama(tanggal=today) or "",
                "jadwal": (
                    {
                        "nama": hari_ini.jendela.nama,
                        "masuk": timezone.localtime(hari_ini.jendela.masuk, zone).strftime("%H:%M"),
                        "pulang": timezone.localtime(hari_ini.jendela.pulang, zone).strftime("%H:%M"),
                    }
                    if hari_ini
                    else None
                ),
                "lokasi": [
                    {
                        "nama": lok.nama,
                        "latitude": float(lok.latitude),
                        "longitude": float(lok.longitude),
                        "radius_m": lok.radius_m,
                    }
                    for lok in lokasi_for(pegawai=pegawai)
                ],
                "presensi": [shared_serializer(PresensiOutput).to_representation(row) for row in rows],
            }
        )


def _bulan(value: str | None) -> tuple[int, int]:
    if not value:
        today = timezone.localdate(timezone=tenant_zone())
        return today.year, today.month
    try:
        parsed = datetime.datetime.strptime(value, "%Y-%m")  # noqa: DTZ007 - a month, not a moment
    except ValueError as exc:
        raise ApplicationError(
            _("Bulan harus berformat TTTT-BB, misalnya 2026-12."), fields={"bulan": [_("Format TTTT-BB.")]}
        ) from exc
    return parsed.year, parsed.month


class RiwayatApi(APIView):
    class OutputSerializer(serializers.Serializer):
        tanggal = serializers.DateField()
        status = serializers.CharField()
        jenis_cuti = serializers.CharField()
        tl = serializers.IntegerField()
        psw = serializers.IntegerField()
        terlambat_menit = serializers.IntegerField()
        pulang_cepat_menit = serializers.IntegerField()
        waktu_masuk = serializers.DateTimeField(allow_null=True)
        waktu_pulang = serializers.DateTimeField(allow_null=True)
        dokumen = serializers.CharField()
        keterangan = serializers.CharField()

    class MonthSerializer(serializers.Serializer):
        bulan = serializers.CharField()
        hari = serializers.ListField()

    @extend_schema(
        responses=MonthSerializer,
        summary="The signed-in employee's daily statuses of a month (?bulan=YYYY-MM)",
    )
    def get(self, request: Request) -> Response:
        pegawai = _pegawai(request)
        tahun, bulan = _bulan(request.query_params.get("bulan"))
        rows = status_harian_bulan(pegawai=pegawai, tahun=tahun, bulan=bulan)
        return Response(
            {"bulan": f"{tahun:04d}-{bulan:02d}", "hari": self.OutputSerializer(rows, many=True).data}
        )


class KoreksiOutput(serializers.Serializer):
    id = serializers.IntegerField()
    tanggal = serializers.DateField()
    jenis = serializers.CharField()
    jam = serializers.TimeField(allow_null=True)
    alasan = serializers.CharField()
    nomor_dokumen = serializers.CharField()
    status = serializers.CharField()
    catatan_putusan = serializers.CharField()


class KoreksiApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        tanggal = serializers.DateField()
        jenis = serializers.ChoiceField(choices=KoreksiPresensi.Jenis.choices)
        jam = serializers.TimeField(required=False, allow_null=True, default=None)
        alasan = serializers.CharField(max_length=2000)
        nomor_dokumen = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
        lampiran = serializers.FileField(required=False)

    @extend_schema(responses=KoreksiOutput(many=True), summary="The signed-in employee's corrections")
    def get(self, request: Request) -> Response:
        pegawai = _pegawai(request)
        rows = KoreksiPresensi.objects.filter(pegawai=pegawai).order_by("-created_at")[:100]
        return Response(KoreksiOutput(rows, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: KoreksiOutput}, summary="Request a correction")
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = koreksi_ajukan(user=request.user, **serializer.validated_data)
        return Response(KoreksiOutput(row).data, status=status.HTTP_201_CREATED)


class KoreksiPutusApi(APIView):
    class InputSerializer(serializers.Serializer):
        setuju = serializers.BooleanField()
        catatan = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)

    @extend_schema(
        request=InputSerializer, responses={200: KoreksiOutput}, summary="The superior decides a correction"
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approver = _pegawai(request)
        # Only the approver or the requester can even see it; others get 404, not a hint.
        koreksi = get_object_or_404(KoreksiPresensi, pk=pk, penyetuju=approver)
        row = koreksi_putus(user=request.user, koreksi=koreksi, **serializer.validated_data)
        return Response(KoreksiOutput(row).data)
