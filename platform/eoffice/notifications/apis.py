"""REST API of notifications under /api/v1/notifikasi/: the signed-in user's own, nobody else's."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.accounts.selectors import request_user
from eoffice.core.api import Pagination
from eoffice.notifications import selectors, services


class NotifikasiOutput(serializers.Serializer):
    id = serializers.IntegerField()
    jenis = serializers.CharField()
    judul = serializers.CharField()
    isi = serializers.CharField()
    tautan = serializers.CharField()
    objek_tipe = serializers.CharField()
    objek_id = serializers.CharField()
    created_at = serializers.DateTimeField()
    dibaca_pada = serializers.DateTimeField(allow_null=True)


class NotifikasiListApi(APIView):
    # Declared so the schema shows the paginated envelope (count, next, previous, results).
    pagination_class = Pagination

    @extend_schema(
        responses=NotifikasiOutput(many=True),
        summary="The signed-in user's notifications, newest first (?page=, ?page_size=)",
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        qs = selectors.notifikasi_list_for(user=request_user(request))
        page: Any = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NotifikasiOutput(page, many=True).data)


class NotifikasiBacaApi(APIView):
    @extend_schema(
        request=None,
        responses=NotifikasiOutput,
        summary="Mark one of one's own notifications read",
    )
    def post(self, request: Request, pk: int) -> Response:
        notifikasi = services.notifikasi_tandai_dibaca(user=request_user(request), notifikasi_id=pk)
        return Response(NotifikasiOutput(notifikasi).data)


class NotifikasiBacaSemuaApi(APIView):
    class OutputSerializer(serializers.Serializer):
        ditandai = serializers.IntegerField()

    @extend_schema(request=None, responses=OutputSerializer, summary="Mark all of one's notifications read")
    def post(self, request: Request) -> Response:
        ditandai = services.notifikasi_tandai_semua_dibaca(user=request_user(request))
        return Response({"ditandai": ditandai})
