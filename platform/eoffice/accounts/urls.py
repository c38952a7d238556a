from django.urls import path

from eoffice.accounts.apis import MeApi, MePasswordApi

urlpatterns = [
    path("", MeApi.as_view(), name="me"),
    path("password/", MePasswordApi.as_view(), name="me-password"),
]
