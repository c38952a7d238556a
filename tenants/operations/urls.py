"""Operator console: /operator/rollouts/ and /operator/backups/ on the root host."""

from django.urls import path

from tenants.operations import views

app_name = "operations"

urlpatterns = [
    path("rollouts/", views.rollout_overview, name="rollouts"),
    path("rollouts/start/", views.rollout_start, name="rollout-start"),
    path("rollouts/<int:rollout_id>/", views.rollout_detail, name="rollout-detail"),
    path("backups/", views.backup_overview, name="backups"),
    path("backups/start/", views.backup_start, name="backup-start"),
    path("backups/<int:backup_id>/restore/", views.backup_restore_start, name="backup-restore"),
    path("restores/<int:restore_id>/", views.restore_decide, name="restore-decide"),
]
