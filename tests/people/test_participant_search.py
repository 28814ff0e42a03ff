"""Finding anyone: accents, spelling variants, aliases, date of birth and case number; scoped by role and
audited without the words typed; officers and prosecutors use the lookup instead."""

import datetime as dt

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.people.models import Alias
from offramp.people.search import Terms, parse
from tests.conftest import make_case


def found(client, text) -> str:
    response = client.post(reverse("people:search"), {"q": text})
    assert response.status_code == 200
    return response.content.decode().split('class="result"')[1].split("</section>")[0]


@pytest.fixture
def avila(world):
    case = make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="José",
        last="Ávila",
        dob=dt.date(1991, 7, 4),
    )
    with trusted("tests"):
        Alias.objects.create(program=world.program, person=case.person, first_name="Flaco", last_name="")
    return case


def test_it_reads_names_dates_and_case_numbers():
    assert parse("Ana Lopez") == Terms(first="Ana", last="Lopez")
    assert parse("lopez 5/17/1980") == Terms(last="lopez", date_of_birth=dt.date(1980, 5, 17))
    assert parse("1980-05-17") == Terms(date_of_birth=dt.date(1980, 5, 17))
    assert parse("#42") == Terms(case_id=42) and parse("case 42") == Terms(case_id=42)


@pytest.mark.parametrize("text", ["jose avila", "José Ávila", "Avilla", "Flaco", "1991-07-04", "7/4/1991"])
def test_a_case_manager_finds_their_participant_however_it_is_typed(world, login, avila, text):
    result = found(login(world.users[Role.CASE_MANAGER]), text)
    assert reverse("cases:detail", args=[avila.pk]) in result and "José Ávila" in result


def test_spelling_variants_and_the_case_number(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert "Ana Lopez" in found(client, "Ana Lopes")
    assert "Ana Lopez" in found(client, f"#{world.own_case.pk}")
    assert "Nobody you may see matches." in found(client, "Zebulon Quartermaine")


def test_a_case_manager_learns_only_whose_caseload_holds_someone_else(world, login):
    result = found(login(world.users[Role.CASE_MANAGER]), "Okoro")
    assert "Okoro" not in result.replace("Okoro</", "")  # the echo is in the box, not the results
    assert reverse("cases:detail", args=[world.other_case.pk]) not in result
    assert "1 active participant on another caseload" in result and "Secondcm" in result
    supervisor = found(login(world.users[Role.CASE_SUPERVISOR]), "Okoro")
    assert reverse("cases:detail", args=[world.other_case.pk]) in supervisor


def test_it_is_audited_without_the_words_typed(world, login):
    found(login(world.users[Role.CASE_MANAGER]), "Ana Lopez 1980-05-17")
    entry = AuditEntry.objects.filter(action="search", detail__view="participant_search").get()
    assert entry.detail["shown_case_ids"] == [world.own_case.pk]
    assert sorted(entry.detail["by"]) == ["dob", "name"]
    assert "Lopez" not in str(entry.detail) and "1980" not in str(entry.detail).replace(
        entry.detail["at"], ""
    )


def test_the_other_program_is_invisible(world, login):
    assert "Nobody you may see matches." in found(login(world.outsider), "Lopez")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR, Role.SYSTEM_ADMIN])
def test_roles_that_may_not_see_identities_get_404(world, login, role):
    assert login(world.users[role]).post(reverse("people:search"), {"q": "Lopez"}).status_code == 404


def test_the_search_box_is_on_every_staff_page_of_the_case_team(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    for name in ("web:day", "cases:caseload", "referrals:mine"):
        page = client.get(reverse(name)).content.decode()
        assert 'action="/search/"' in page and 'id="finder-q"' in page
    officer = login(world.users[Role.OFFICER]).get(reverse("referrals:mine")).content.decode()
    assert 'id="finder-q"' not in officer
