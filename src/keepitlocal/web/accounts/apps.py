from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keepitlocal.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
