"""The prosecutor's lookup: "no consent" is byte for byte "no record", and the words say there is no
record this prosecutor may see and how to ask the program."""

import datetime as dt
import re

from django.urls import reverse

from offramp.access.roles import Role
from offramp.people.queries import HOW_TO_ASK, NO_RECORD, NO_RECORD_YOU_MAY_SEE
from tests.conftest import make_case


def same_page(response, typed: bytes) -> bytes:
    """The page with what differs by design removed: the typed date and the per-response CSRF mask."""
    body = response.content.replace(typed, b"DATE")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", body)


def lookup(client, last, dob, first=""):
    response = client.post(
        reverse("people:lookup"), {"last_name": last, "first_name": first, "date_of_birth": dob}
    )
    assert response.status_code == 200
    body = response.content.decode()
    return body.split('class="result"')[1].split("</section>")[0]


def test_no_consent_reads_exactly_as_no_record(world, login):
    make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="Dee",
        last="Nguyen",
        dob=dt.date(1988, 8, 8),
        consent=False,
    )
    world.program.configuration = {"intake_phone": "206-555-0100"}
    world.program.save()
    client = login(world.users[Role.PROSECUTOR])
    # The same name and date of birth typed for both, so the echoed form cannot differ either.
    no_consent = client.post(reverse("people:lookup"), {"last_name": "Nguyen", "date_of_birth": "1988-08-08"})
    make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="Dee",
        last="Nguyen",
        dob=dt.date(1988, 8, 9),
        consent=False,
    )
    with_no_person = client.post(
        reverse("people:lookup"), {"last_name": "Nguyen", "date_of_birth": "1988-08-07"}
    )
    assert same_page(no_consent, b"1988-08-08") == same_page(with_no_person, b"1988-08-07")
    body = no_consent.content.decode()
    assert NO_RECORD_YOU_MAY_SEE in body and NO_RECORD not in body
    assert HOW_TO_ASK.format(program="Test County LEAD", phone=" at 206-555-0100") in body


def test_a_consenting_participant_is_answered_and_other_roles_keep_their_words(world, login):
    answer = lookup(login(world.users[Role.PROSECUTOR]), "Lopez", "1980-05-17")
    assert "Ana Lopez" in answer and NO_RECORD_YOU_MAY_SEE not in answer
    officer = lookup(login(world.users[Role.OFFICER]), "Nobody", "1980-05-17")
    assert NO_RECORD in officer and "ask" not in officer
