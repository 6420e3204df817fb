import pytest
from django.contrib import admin
from django.urls import reverse

from hazri.accounts.models import User


@pytest.mark.parametrize(
    "model",
    [
        m
        for m in admin.site._registry
        if m._meta.app_label in {"org", "people", "accounts", "attendance", "audit", "registers"}
    ],
    ids=lambda m: m._meta.label,
)
def test_every_admin_list_opens_for_an_administrator(world, client, model) -> None:
    User.objects.create_superuser("root", password="x-root-pass-1")
    client.login(username="root", password="x-root-pass-1")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
