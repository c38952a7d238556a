"""REST API for TPP under /api/v1/tpp/ (session or token auth; one error body)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.core.api import Pagination
from eoffice.core.errors import ApplicationError
from modules.kepegawaian import access
from modules.kepegawaian.models import Pegawai
from modules.tpp import selectors, services
from modules.tpp.models import Hukdis, PerbupTpp, TppPeriode


class PerbupListApi(APIView):
    class BesaranSerializer(serializers.Serializer):
        kelas_jabatan = serializers.IntegerField(min_value=1, max_value=17)
        jenis_jabatan = serializers.CharField(required=False, allow_blank=True, default="")
        jenis_unit = serializers.CharField(required=False, allow_blank=True, default="")
        besaran = serializers.IntegerField(min_value=0)

    class BandSerializer(serializers.Serializer):
        jenis = serializers.ChoiceField(choices=["tl", "psw"])
        band = serializers.IntegerField(min_value=1, max_value=4)
        persen = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)

    class HukdisSerializer(serializers.Serializer):
        kode = serializers.SlugField(max_length=40)
        nama = serializers.CharField(max_length=150)
        persen = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)
        bulan = serializers.IntegerField(min_value=1, max_value=60)

    class InputSerializer(serializers.Serializer):
        nomor = serializers.CharField(max_length=150)
        judul = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
        berlaku_mulai = serializers.DateField()
        parameter = serializers.DictField()
        besaran = serializers.ListField(child=serializers.DictField(), allow_empty=False)
        potongan_band = serializers.ListField(child=serializers.DictField(), required=False, default=list)
        jenis_hukdis = serializers.ListField(child=serializers.DictField(), required=False, default=list)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            for key, child in (
                ("besaran", PerbupListApi.BesaranSerializer),
                ("potongan_band", PerbupListApi.BandSerializer),
                ("jenis_hukdis", PerbupListApi.HukdisSerializer),
            ):
                rows = child(data=attrs[key], many=True)
                if not rows.is_valid():
                    raise serializers.ValidationError({key: rows.errors})
                attrs[key] = [dict(row) for row in rows.validated_data]
            return attrs

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = PerbupTpp
            fields = [
                "id", "nomor", "judul", "berlaku_mulai", "bobot_kinerja", "bobot_disiplin", "bobot_serapan",
                "potongan_tk_per_hari",
                "potongan_izin_per_hari", "potongan_disiplin_maks", "persen_cpns", "bpjs_persen_total",
                "bpjs_persen_pegawai", "bpjs_batas_atas", "pajak_perlakuan", "tarif_pph_gol_iv", "tarif_pph_gol_iii",
                "tarif_pph_lainnya",
            ]  # fmt: skip

    @extend_schema(responses=OutputSerializer(many=True), summary="Perbup/Perwali TPP, newest first")
    def get(self, request: Request) -> Response:
        if not access.cakupan_data_pribadi(user=request.user).boleh_kelola:  # type: ignore[arg-type]
            raise PermissionDenied
        return Response(self.OutputSerializer(PerbupTpp.objects.all(), many=True).data)

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer}, summary="Add a Perbup TPP from a date"
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        perbup = services.perbup_tpp_create(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(self.OutputSerializer(perbup).data, status=status.HTTP_201_CREATED)


class PeriodeSerializer(serializers.ModelSerializer):
    perbup = serializers.CharField(source="perbup.nomor")

    class Meta:
        model = TppPeriode
        fields = ["id", "tahun", "bulan", "perbup", "status", "dihitung_pada", "dikunci_pada", "jumlah_pegawai",
                  "total_bruto", "total_netto"]  # fmt: skip


class PeriodeListApi(APIView):
    class InputSerializer(serializers.Serializer):
        tahun = serializers.IntegerField(min_value=2000, max_value=2100)
        bulan = serializers.IntegerField(min_value=1, max_value=12)

    @extend_schema(responses=PeriodeSerializer(many=True), summary="Computed months")
    def get(self, request: Request) -> Response:
        if not access.cakupan_data_pribadi(user=request.user).boleh_kelola:  # type: ignore[arg-type]
            raise PermissionDenied
        return Response(PeriodeSerializer(TppPeriode.objects.select_related("perbup"), many=True).data)

    @extend_schema(
        request=InputSerializer, responses={200: PeriodeSerializer}, summary="Compute or recompute a month"
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        periode = services.tpp_periode_hitung(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(PeriodeSerializer(periode).data)


class RekapApi(APIView):
    class OutputSerializer(serializers.Serializer):
        opd_id = serializers.IntegerField()
        nama_opd = serializers.CharField()
        jumlah = serializers.IntegerField()
        kinerja = serializers.IntegerField()
        disiplin = serializers.IntegerField()
        serapan = serializers.IntegerField()
        bruto = serializers.IntegerField()
        hukdis = serializers.IntegerField()
        bpjs = serializers.IntegerField()
        pph = serializers.IntegerField()
        netto = serializers.IntegerField()
        perhatian = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer(many=True), summary="Totals per OPD within the caller's scope")
    def get(self, request: Request, tahun: int, bulan: int) -> Response:
        cakupan = access.cakupan_data_pribadi(user=request.user)  # type: ignore[arg-type]
        if not cakupan.boleh_kelola:
            raise PermissionDenied
        periode = selectors.periode_get(tahun=tahun, bulan=bulan)
        return Response(
            self.OutputSerializer(selectors.rekap_per_opd(cakupan=cakupan, periode=periode), many=True).data
        )


class BarisSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nip = serializers.CharField()
    nama = serializers.CharField()
    nama_opd = serializers.CharField()
    nama_jabatan = serializers.CharField()
    kelas_jabatan = serializers.IntegerField(allow_null=True)
    besaran = serializers.IntegerField()
    kinerja_nilai = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    potongan_disiplin_persen = serializers.DecimalField(max_digits=6, decimal_places=2)
    komponen_kinerja = serializers.IntegerField()
    komponen_disiplin = serializers.IntegerField()
    serapan_nilai = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    komponen_serapan = serializers.IntegerField()
    bruto = serializers.IntegerField()
    hukdis_persen = serializers.DecimalField(max_digits=6, decimal_places=2)
    potongan_hukdis = serializers.IntegerField()
    potongan_bpjs = serializers.IntegerField()
    potongan_pph = serializers.IntegerField()
    netto = serializers.IntegerField()
    perlu_perhatian = serializers.BooleanField()


class BarisListApi(APIView):
    @extend_schema(responses=BarisSerializer(many=True), summary="Employees' lines within the caller's scope")
    def get(self, request: Request, tahun: int, bulan: int) -> Response:
        cakupan = access.cakupan_data_pribadi(user=request.user)  # type: ignore[arg-type]
        periode = selectors.periode_get(tahun=tahun, bulan=bulan)
        qs = selectors.baris_in_cakupan(cakupan=cakupan, periode=periode).order_by("nama_opd", "nama", "id")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(BarisSerializer(page, many=True).data)


class SlipApi(APIView):
    class OutputSerializer(BarisSerializer):
        tahun = serializers.IntegerField(source="periode.tahun")
        bulan = serializers.IntegerField(source="periode.bulan")
        status = serializers.CharField(source="periode.status")
        rincian = serializers.SerializerMethodField()

        def get_rincian(self, obj: Any) -> list[dict[str, str]]:
            return selectors.slip_lines(baris=obj)

    @extend_schema(responses=OutputSerializer, summary="One employee's slip with every line explained")
    def get(self, request: Request, baris_id: int) -> Response:
        baris = selectors.baris_get_for(user=request.user, baris_id=baris_id)  # type: ignore[arg-type]
        return Response(self.OutputSerializer(baris).data)


class KunciApi(APIView):
    @extend_schema(
        request=None, responses=PeriodeSerializer, summary="Approve and lock a month (admin pemda)"
    )
    def post(self, request: Request, tahun: int, bulan: int) -> Response:
        periode = services.tpp_periode_kunci(
            actor=request.user,  # type: ignore[arg-type]
            periode=selectors.periode_get(tahun=tahun, bulan=bulan),
        )
        return Response(PeriodeSerializer(periode).data)


class BukaKembaliApi(APIView):
    class InputSerializer(serializers.Serializer):
        alasan = serializers.CharField()

    @extend_schema(
        request=InputSerializer, responses=PeriodeSerializer, summary="Reopen a locked month, with a reason"
    )
    def post(self, request: Request, tahun: int, bulan: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        periode = services.tpp_periode_buka_kembali(
            actor=request.user,  # type: ignore[arg-type]
            periode=selectors.periode_get(tahun=tahun, bulan=bulan),
            alasan=data.validated_data["alasan"],
        )
        return Response(PeriodeSerializer(periode).data)


class TutupPresensiApi(APIView):
    class OutputSerializer(serializers.Serializer):
        tahun = serializers.IntegerField()
        bulan = serializers.IntegerField()
        hari_ditutup = serializers.IntegerField(help_text="Working days closed now (0: none was open).")

    @extend_schema(
        request=None,
        responses=OutputSerializer,
        summary="Close the month's working days presensi never closed (admin pemda)",
        description=(
            "Computes the daily attendance of every working day of the month that presensi has not "
            "closed (the current month up to yesterday), so that computing the month's TPP is no "
            "longer refused with `presensi_belum_ditutup`. Days already closed are left as they are."
        ),
    )
    def post(self, request: Request, tahun: int, bulan: int) -> Response:
        jumlah = services.tpp_presensi_tutup(actor=request.user, tahun=tahun, bulan=bulan)  # type: ignore[arg-type]
        return Response(self.OutputSerializer({"tahun": tahun, "bulan": bulan, "hari_ditutup": jumlah}).data)


class KinerjaApi(APIView):
    class InputSerializer(serializers.Serializer):
        pegawai_id = serializers.IntegerField()
        tahun = serializers.IntegerField(min_value=2000, max_value=2100)
        bulan = serializers.IntegerField(min_value=1, max_value=12)
        nilai = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        pegawai_id = serializers.IntegerField()
        tahun = serializers.IntegerField()
        bulan = serializers.IntegerField()
        nilai = serializers.DecimalField(max_digits=5, decimal_places=2)
        sumber = serializers.CharField()

    @extend_schema(
        request=InputSerializer, responses=OutputSerializer, summary="Set an employee's kinerja for a month"
    )
    def put(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cakupan = access.cakupan_data_pribadi(user=request.user)  # type: ignore[arg-type]
        pegawai = (
            access.pegawai_in_cakupan(cakupan=cakupan).filter(pk=data.validated_data["pegawai_id"]).first()
        )
        if pegawai is None:
            raise ApplicationError(
                _("Pegawai tidak ditemukan dalam cakupan Anda."),
                code="not_found",
                status=404,
                fields={"pegawai_id": [_("Tidak ditemukan.")]},
            )
        kinerja = services.kinerja_set(
            actor=request.user,  # type: ignore[arg-type]
            pegawai=pegawai,
            tahun=data.validated_data["tahun"],
            bulan=data.validated_data["bulan"],
            nilai=data.validated_data["nilai"],
        )
        return Response(self.OutputSerializer(kinerja).data)


class SerapanApi(APIView):
    """Realisasi serapan anggaran per OPD and month: read by whoever reviews TPP, written by the
    regency admin."""

    class FilterSerializer(serializers.Serializer):
        tahun = serializers.IntegerField(min_value=2000, max_value=2100)
        bulan = serializers.IntegerField(min_value=1, max_value=12)

    class InputSerializer(serializers.Serializer):
        opd_id = serializers.IntegerField()
        tahun = serializers.IntegerField(min_value=2000, max_value=2100)
        bulan = serializers.IntegerField(min_value=1, max_value=12)
        # Text, so "92,5" (decimal comma) is read the same as on the page; the service checks 0–100.
        nilai = serializers.CharField()

    class ItemSerializer(serializers.Serializer):
        opd_id = serializers.IntegerField(source="opd.pk")
        nama_opd = serializers.CharField(source="opd.nama")
        nilai = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    class OutputSerializer(serializers.Serializer):
        opd_id = serializers.IntegerField()
        tahun = serializers.IntegerField()
        bulan = serializers.IntegerField()
        nilai = serializers.DecimalField(max_digits=5, decimal_places=2)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=ItemSerializer(many=True),
        summary="Every OPD's budget absorption (serapan anggaran) for a month; null: not entered",
    )
    def get(self, request: Request) -> Response:
        if not access.cakupan_data_pribadi(user=request.user).boleh_kelola:  # type: ignore[arg-type]
            raise PermissionDenied
        data = self.FilterSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        rows = selectors.serapan_anggaran_bulan(**data.validated_data)
        return Response(self.ItemSerializer(rows, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses=OutputSerializer,
        summary="Set an OPD's budget absorption for a month (admin pemda; refused when the month is locked)",
    )
    def put(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opd = selectors.opd_queryset().filter(pk=data.validated_data["opd_id"]).first()
        if opd is None:
            raise ApplicationError(
                _("OPD tidak ditemukan."),
                code="not_found",
                status=404,
                fields={"opd_id": [_("Pilih OPD (unit tepat di bawah pemda).")]},
            )
        serapan = services.serapan_anggaran_set(
            actor=request.user,  # type: ignore[arg-type]
            opd=opd,
            tahun=data.validated_data["tahun"],
            bulan=data.validated_data["bulan"],
            nilai=data.validated_data["nilai"],
        )
        return Response(self.OutputSerializer(serapan).data)


class HukdisApi(APIView):
    class InputSerializer(serializers.Serializer):
        pegawai_id = serializers.IntegerField()
        kode_jenis = serializers.SlugField(max_length=40)
        tmt = serializers.DateField()
        sk_nomor = serializers.CharField(max_length=100)
        keterangan = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        pegawai_id = serializers.IntegerField()
        kode_jenis = serializers.CharField()
        tmt = serializers.DateField()
        sk_nomor = serializers.CharField()
        keterangan = serializers.CharField()

    @extend_schema(
        responses=OutputSerializer(many=True), summary="Disciplinary sanctions within the caller's scope"
    )
    def get(self, request: Request) -> Response:
        cakupan = access.cakupan_data_pribadi(user=request.user)  # type: ignore[arg-type]
        if not cakupan.boleh_kelola:
            raise PermissionDenied
        qs = Hukdis.objects.filter(pegawai__in=access.pegawai_in_cakupan(cakupan=cakupan)).order_by(
            "-tmt", "id"
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer}, summary="Record a sanction (admin pemda)"
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pegawai = Pegawai.objects.filter(pk=values.pop("pegawai_id")).first()
        if pegawai is None:
            raise ApplicationError(
                _("Pegawai tidak ditemukan."),
                code="not_found",
                status=404,
                fields={"pegawai_id": [_("Tidak ditemukan.")]},
            )
        hukdis = services.hukdis_create(actor=request.user, pegawai=pegawai, **values)  # type: ignore[arg-type]
        return Response(self.OutputSerializer(hukdis).data, status=status.HTTP_201_CREATED)
