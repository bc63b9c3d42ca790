"""The keepitlocal web app: a Django project with one app per capability, plus accounts and core."""
