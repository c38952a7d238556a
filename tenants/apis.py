"""REST API of a regency's configuration, on its own host under /api/v1/pengaturan/."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import selectors
from tenants.configuration import config_adopt, config_revert, config_update


class IsTenantAdmin(BasePermission):
    message = "Hanya administrator pemerintah daerah yang dapat mengubah pengaturan."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(getattr(request.user, "is_tenant_admin", False))


class ConfigApi(APIView):
    permission_classes = [IsAuthenticated, IsTenantAdmin]

    class OutputSerializer(serializers.Serializer):
        version = serializers.IntegerField()
        config = serializers.JSONField()

    class InputSerializer(serializers.Serializer):
        config = serializers.JSONField()
        reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    @extend_schema(responses=OutputSerializer, summary="The regency's current configuration")
    def get(self, request: Request) -> Response:
        tenant = request.tenant
        history = selectors.config_history(tenant=tenant)
        return Response({"version": history[0].version if history else 0, "config": tenant.config})

    @extend_schema(
        request=InputSerializer, responses=OutputSerializer, summary="Save a new configuration version"
    )
    def put(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = request.tenant
        version = config_update(
            tenant=tenant,
            data=serializer.validated_data["config"],
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response({"version": version.version, "config": version.config})


class ConfigHistoryApi(APIView):
    permission_classes = [IsAuthenticated, IsTenantAdmin]

    class OutputSerializer(serializers.Serializer):
        version = serializers.IntegerField()
        actor = serializers.CharField()
        reason = serializers.CharField()
        created_at = serializers.DateTimeField()
        config = serializers.JSONField()

    @extend_schema(responses=OutputSerializer(many=True), summary="Every saved version, newest first")
    def get(self, request: Request) -> Response:
        versions = selectors.config_history(tenant=request.tenant)
        return Response(self.OutputSerializer(versions, many=True).data)


class ConfigRevertApi(APIView):
    permission_classes = [IsAuthenticated, IsTenantAdmin]

    @extend_schema(
        request=None, responses=ConfigApi.OutputSerializer, summary="Make an earlier version current"
    )
    def post(self, request: Request, version: int) -> Response:
        saved = config_revert(tenant=request.tenant, version=version, actor=request.user)
        return Response({"version": saved.version, "config": saved.config})


class ConfigAdoptApi(APIView):
    permission_classes = [IsAuthenticated, IsTenantAdmin]

    class InputSerializer(serializers.Serializer):
        template = serializers.IntegerField()

    @extend_schema(
        request=InputSerializer,
        responses=ConfigApi.OutputSerializer,
        summary="Adopt another regency's published configuration (settings only)",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = config_adopt(
            tenant=request.tenant,
            template_id=serializer.validated_data["template"],
            actor=request.user,
        )
        return Response({"version": saved.version, "config": saved.config})
