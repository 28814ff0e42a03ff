"""Every form refuses every malformed value in its corpus: the field named, no HTTP 500, nothing stored.

The corpus is tests/badinput/corpus.py. Each case starts from a submission the form accepts, spoils
one field, and checks that the page answers with that field's error and no other, and that the rows
the form would write (and the audit log's count of writes) are unchanged.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases import outcomes
from tests.badinput.corpus import FORMS, cases, contact_valid, resolve

CASES = cases()


def _valid(form) -> dict:
    if form.name == "contact":
        return contact_valid()
    living = str(outcomes.LivingSituation.choices[0][0])
    return {k: living if v == "LIVING" else resolve(v) for k, v in form.valid.items()}


def _send(client, form, world, data):
    url = reverse(form.url, args=[world.own_case.pk] if form.case_arg else [])
    return client.post(url, data) if form.method == "post" else client.get(url, data)


def _rows(form) -> int:
    if not form.model:
        return 0
    with trusted("tests"):
        return apps.get_model(form.model).objects.count()


def _writes() -> int:
    return AuditEntry.objects.exclude(action__in=("read", "search", "list")).count()


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_it_accepts_the_corpus_valid_submission(world, login, form):
    client = login(world.users[form.role])
    before = _rows(form)
    response = _send(client, form, world, _valid(form))
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    if response.status_code == 200:
        bound = response.context[form.context]
        assert bound.is_bound and not bound.errors, bound.errors
    if form.model:
        assert _rows(form) == before + 1


@pytest.mark.parametrize(
    ("form", "field", "label", "value"), CASES, ids=[f"{c[0].name}-{c[1]}-{c[2]}" for c in CASES]
)
def test_it_refuses_a_malformed_value_naming_the_field(world, login, form, field, label, value):
    client = login(world.users[form.role])
    data = _valid(form)
    data[field] = resolve(value, form.limits.get(field))
    rows, writes = _rows(form), _writes()
    response = _send(client, form, world, data)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "Traceback" not in body
    bound = response.context[form.context]
    # Only this field is wrong; a form-wide error may follow from it (latitude without longitude).
    assert field in bound.errors and set(bound.errors) <= {field, "__all__"}, bound.errors
    assert bound.errors[field] and all(message for message in bound.errors[field])
    assert f'id="{bound[field].auto_id}' in body or bound[field].auto_id.split("_", 1)[-1] == field
    assert _rows(form) == rows and _writes() == writes


def test_every_form_in_offramp_refuses_implausible_values():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import offramp
    from offramp.formbounds import PlausibleForm

    found = []
    for module in pkgutil.walk_packages(offramp.__path__, "offramp."):
        if not module.name.endswith(".forms"):
            continue
        for _name, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, forms.Form) and value.__module__ == module.name:
                found.append(value)
    assert len(found) > 30
    # The sign-in forms are allauth's: their only inputs are a name, a password and a code.
    outside = [f.__name__ for f in found if not issubclass(f, PlausibleForm)]
    assert sorted(outside) == ["AuthenticateForm", "LoginForm"]
