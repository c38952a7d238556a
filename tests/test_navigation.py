"""The menu a person sees on their regency's host."""

from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User


def test_regency_admin_menu_links_settings_and_export(kendari):
    admin, employee = host_client(kendari), host_client(kendari)
    with schema_context("kendari"):
        admin.force_login(User.objects.get(username="admin.kendari"))
        employee.force_login(User.objects.get(username="199001152019032002"))

    admin_page, employee_page = admin.get("/").text, employee.get("/").text

    assert 'href="/pengaturan/"' in admin_page and 'href="/ekspor/"' in admin_page
    assert 'href="/pengaturan/"' not in employee_page
