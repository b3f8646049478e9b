"""The house rules (docs/DESIGN.md) for the accounts app's services and selectors: keyword-only
arguments everywhere, and ``actor=`` on every service that acts on a child's data."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rest_framework.test import APIClient

import accounts.services
from accounts.services.controls import pin_verify
from tests.factories import bearer, login, make_child, make_parent, pair_device

MODULES = ["accounts.selectors"] + [
    f"accounts.services.{info.name}" for info in pkgutil.iter_modules(accounts.services.__path__)
]


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for function_name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == name and not function_name.startswith("_"):
                yield f"{name}.{function_name}", function


def test_every_accounts_service_and_selector_takes_keyword_only_arguments():
    positional = [
        f"{name}({parameter.name})"
        for name, function in _public_functions()
        for parameter in inspect.signature(function).parameters.values()
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ]
    assert positional == []


def test_checking_the_parent_pin_names_who_checked_it():
    assert "actor" in inspect.signature(pin_verify).parameters


@pytest.mark.django_db
def test_a_rejected_pin_is_logged_with_the_device_that_tried_it(caplog):
    parent = make_parent("rules.parent@example.com")
    child = make_child(parent)
    url = f"/api/v1/children/{child.pk}/controls/"
    login(parent.email).patch(url, {"pin": "135790"}, format="json")
    device, tokens = pair_device(parent, child)
    response = bearer(APIClient(), tokens["access"]).post(f"{url}verify-pin/", {"pin": "000000"}, format="json")
    assert response.json() == {"valid": False}
    assert f"parent pin rejected child_id={child.pk} by device_id={device.pk}" in caplog.text
