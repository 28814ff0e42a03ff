"""Every hint and error is tied to its field: each id a page names in aria-describedby,
aria-labelledby or a label's `for` is on the page, so a screen reader reads the hint and the error
with the field (Django's widgets name `{auto_id}_helptext` and `{auto_id}_error`)."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from tests.cases.test_page_query_counts import _visits

REFERENCES = ("aria-describedby", "aria-labelledby", "for")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.named: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in REFERENCES and value and tag != "output":
                self.named += [(tag, name, ref) for ref in value.split()]


def dangling(html: str) -> list[tuple[str, str, str]]:
    parsed = _Ids()
    parsed.feed(html)
    return [ref for ref in parsed.named if ref[2] not in parsed.ids]


class _Example(forms.Form):
    name = forms.CharField(help_text="As the person gives it.")
    agreed = forms.BooleanField(help_text="Read aloud first.")
    needs = forms.MultipleChoiceField(
        choices=[("a", "Housing"), ("b", "ID")], widget=forms.CheckboxSelectMultiple, help_text="Any."
    )


def test_a_field_names_its_hint_and_its_error():
    form = _Example(data={})
    assert not form.is_valid()
    html = "".join(render_to_string("web/_field.html", {"field": field}) for field in form)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_needs_helptext"' in html and 'id="id_needs_error"' in html
    assert dangling(html) == []
    assert dangling('<input aria-describedby="nowhere">') == [("input", "aria-describedby", "nowhere")]


@pytest.mark.slow
def test_no_page_names_an_id_it_does_not_have(db, client):
    program = seed_program(people=100, seed=7).program
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS.values()])
    }
    checked = 0
    for role, name, url in _visits(program):
        client.force_login(users[DEMO_ACCOUNTS[role][0]])
        response = client.get(url)
        assert response.status_code == 200, (role, name)
        if response["Content-Type"].startswith("text/html"):
            assert dangling(response.content.decode()) == [], (role.value, name)
            checked += 1
    assert checked > 40
