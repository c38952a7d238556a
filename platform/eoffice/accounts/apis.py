from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eoffice.accounts.services import user_change_password


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        nama = serializers.CharField()
        email = serializers.EmailField()
        peran = serializers.CharField()

    @extend_schema(responses=OutputSerializer, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user).data)


class MePasswordApi(APIView):
    class InputSerializer(serializers.Serializer):
        current_password = serializers.CharField()
        new_password = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={204: None}, summary="Change one's own password")
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_change_password(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
