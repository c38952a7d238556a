from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "eoffice.accounts"
    label = "accounts"
    verbose_name = "Akun"
