from django.urls import path

from bench.routing import views

urlpatterns = [
    path("one-query/", views.one_query),
    path("no-query/", views.no_query),
]
