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


def test_tpp_serapan_anggaran_entry_for_the_regency_admin_only(sumedang):
    # given the regency admin, an OPD admin and an employee of a regency running TPP
    clients = {peran: host_client(sumedang) for peran in ("admin_pemda", "admin_opd", "pegawai")}
    with schema_context("sumedang"):
        clients["admin_pemda"].force_login(User.objects.get(username="admin.sumedang"))
        clients["admin_opd"].force_login(
            User.objects.create_user(
                username="admin.opd.uji", email="admin.opd.uji@uji.go.id", nama="Admin OPD Uji",
                password="x", peran=User.Peran.ADMIN_OPD,
            )
        )  # fmt: skip
        clients["pegawai"].force_login(User.objects.get(username="198609262015051001"))

    # when
    menus = {peran: client.get("/").text for peran, client in clients.items()}

    # then only the regency admin's menu links the serapan anggaran sheet (beside the other TPP entries)
    assert {peran: 'href="/tpp/serapan/"' in html for peran, html in menus.items()} == {
        "admin_pemda": True,
        "admin_opd": False,
        "pegawai": False,
    }
    assert 'href="/tpp/perbup/"' in menus["admin_opd"]
