"""REST API for KGB under /api/v1/kgb/."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Pegawai
from modules.kgb import selectors, services
from modules.kgb.gaji import gaji_pokok_lookup
from modules.kgb.models import Kgb


class GajiPokokApi(APIView):
    class InputSerializer(serializers.Serializer):
        golongan = serializers.CharField()
        mkg_tahun = serializers.IntegerField(min_value=0, max_value=60)
        cpns = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(serializers.Serializer):
        golongan = serializers.CharField()
        mkg_tahun = serializers.IntegerField()
        mkg_tabel = serializers.IntegerField()
        gaji_pokok = serializers.IntegerField()
        gaji_pokok_tabel = serializers.IntegerField()
        cpns = serializers.BooleanField()
        melewati_tabel = serializers.BooleanField()
        sebelum_tabel = serializers.BooleanField()
        catatan = serializers.CharField()

    @extend_schema(
        parameters=[InputSerializer],
        responses=OutputSerializer,
        summary="Gaji pokok PNS (PP 5/2024) for a golongan and MKG",
    )
    def get(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(gaji_pokok_lookup(**data.validated_data)).data)


class RencanaSerializer(serializers.Serializer):
    pegawai_id = serializers.IntegerField(source="pegawai.pk")
    nip = serializers.CharField(source="pegawai.nip")
    nama = serializers.CharField(source="pegawai.nama_lengkap")
    unit = serializers.CharField(source="pegawai.unit.nama")
    golongan = serializers.CharField(source="pegawai.golongan")
    tmt = serializers.DateField(source="berikutnya.tmt")
    mkg_baru_tahun = serializers.IntegerField(source="berikutnya.mkg_tahun")
    gaji_lama = serializers.IntegerField(source="berikutnya.gaji_lama.gaji_pokok")
    gaji_baru = serializers.IntegerField(source="berikutnya.gaji_baru.gaji_pokok")
    catatan = serializers.CharField(source="berikutnya.gaji_baru.catatan")
    kgb_id = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    terlambat = serializers.BooleanField(help_text="TMT passed, raise neither issued nor postponed")
    terlambat_hari = serializers.IntegerField(help_text="Days since the TMT when overdue, else 0")

    def get_kgb_id(self, obj: Any) -> int | None:
        return obj.kgb.pk if obj.kgb else None

    def get_status(self, obj: Any) -> str:
        return obj.kgb.status if obj.kgb else "rencana"


class MendatangApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("hari", int, description="Look-ahead in days (default 365, at most 1100)")
        ],
        responses=RencanaSerializer(many=True),
        summary="Upcoming and overdue KGB within the caller's scope (overdue first)",
    )
    def get(self, request: Request) -> Response:
        try:
            hari = min(max(int(request.query_params.get("hari", 365)), 1), 1100)
        except ValueError as exc:
            raise ApplicationError(
                _("Parameter hari harus angka."), fields={"hari": [_("Harus angka.")]}
            ) from exc
        today = timezone.localdate()
        rows = selectors.kgb_mendatang(
            user=request.user,  # type: ignore[arg-type]
            hari_ini=today,
            sampai=today + datetime.timedelta(days=hari),
        )
        return Response(RencanaSerializer(rows, many=True).data)


class KgbSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip")
    nama = serializers.CharField(source="pegawai.nama_lengkap")

    class Meta:
        model = Kgb
        fields = ["id", "nip", "nama", "tmt", "golongan", "cpns", "mkg_lama_tahun", "mkg_lama_bulan", "mkg_baru_tahun",
                  "gaji_lama", "gaji_baru", "catatan_tabel", "status", "alasan_tunda", "ditunda_sampai",
                  "predikat_kinerja", "nomor_surat", "tanggal_surat", "penandatangan_nama", "penandatangan_nip",
                  "pengingat_t60_pada"]  # fmt: skip


class KgbDetailApi(APIView):
    @extend_schema(responses=KgbSerializer, summary="One KGB letter")
    def get(self, request: Request, kgb_id: int) -> Response:
        return Response(KgbSerializer(selectors.kgb_get_for(user=request.user, kgb_id=kgb_id)).data)  # type: ignore[arg-type]


class TerbitkanApi(APIView):
    class InputSerializer(serializers.Serializer):
        nomor_surat = serializers.CharField(max_length=100)
        tanggal_surat = serializers.DateField()
        penandatangan_id = serializers.IntegerField()

    @extend_schema(
        request=InputSerializer, responses=KgbSerializer, summary="Issue the surat pemberitahuan (unsigned)"
    )
    def post(self, request: Request, kgb_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kgb = selectors.kgb_get_for(user=request.user, kgb_id=kgb_id)  # type: ignore[arg-type]
        penandatangan = (
            Pegawai.objects.select_related("jabatan")
            .filter(pk=data.validated_data["penandatangan_id"])
            .first()
        )
        if penandatangan is None:
            raise ApplicationError(
                _("Penandatangan tidak ditemukan."), fields={"penandatangan_id": [_("Tidak ditemukan.")]}
            )
        kgb = services.kgb_terbitkan(
            actor=request.user,  # type: ignore[arg-type]
            kgb=kgb,
            nomor_surat=data.validated_data["nomor_surat"],
            tanggal_surat=data.validated_data["tanggal_surat"],
            penandatangan=penandatangan,
        )
        return Response(KgbSerializer(kgb).data)


class TundaApi(APIView):
    class InputSerializer(serializers.Serializer):
        alasan = serializers.CharField()
        ditunda_sampai = serializers.DateField()
        predikat_kinerja = serializers.ChoiceField(
            choices=Kgb.Predikat.choices, required=False, allow_blank=True, default=""
        )

    @extend_schema(request=InputSerializer, responses=KgbSerializer, summary="Postpone a KGB with a reason")
    def post(self, request: Request, kgb_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kgb = selectors.kgb_get_for(user=request.user, kgb_id=kgb_id)  # type: ignore[arg-type]
        kgb = services.kgb_tunda(actor=request.user, kgb=kgb, **data.validated_data)  # type: ignore[arg-type]
        return Response(KgbSerializer(kgb).data)
