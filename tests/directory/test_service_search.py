"""Case workers search the program's directory by need, words, language and distance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.access.scope import Actor
from offramp.directory.geo import bounding_box, haversine_miles
from offramp.directory.queries import SearchFilter, search_options, search_places, service_search
from offramp.directory.synthetic import SERVICES, _id, directory_demo_load
from offramp.programs.roles import Role

DOWNTOWN = (47.6062, -122.3321)


@pytest.fixture
def directory(world):
    directory_demo_load(world.program)
    return world


def _names(world, **query):
    actor = Actor.system("tests", program=world.program)
    return [r.name for r in service_search(actor, SearchFilter(**query))]


def test_it_loads_the_demo_directory_through_the_validator(directory):
    assert len(_names(directory)) == len(SERVICES) >= 20


def test_it_finds_services_by_need_including_narrower_needs(directory):
    assert set(_names(directory, need=_id("term", "Emergency shelter"))) == {
        "Night shelter",
        "Women's shelter",
    }
    housing = set(_names(directory, need=_id("term", "Housing")))
    assert {"Night shelter", "Coordinated entry for housing", "Housing search help"} <= housing
    assert "Food bank" not in housing
    moud = _names(directory, need=_id("term", "Substance use treatment (voluntary)"))
    assert set(moud) == {"Buprenorphine same-day start", "Methadone clinic", "Outpatient counselling"}


def test_it_finds_services_by_words_in_name_description_or_organization(directory):
    assert _names(directory, text="methadone") == ["Methadone clinic"]
    assert set(_names(directory, text="legal clinic")) == {"Record relief", "Warrant and fines clinic"}


def test_it_finds_services_by_language_name_or_code(directory):
    assert _names(directory, language="Russian") == ["Methadone clinic"]
    assert _names(directory, language="so") == ["Birth certificates and state ID help"]


def test_it_orders_by_distance_and_drops_what_is_too_far(directory):
    actor = Actor.system("tests", program=directory.program)
    near = service_search(actor, SearchFilter(latitude=DOWNTOWN[0], longitude=DOWNTOWN[1], miles=1.0))
    distances = [r.distance for r in near]
    assert distances == sorted(distances) and all(d <= 1.0 for d in distances)
    assert "Women's shelter" not in [r.name for r in near]  # about 5.5 miles north
    wide = _names(directory, latitude=DOWNTOWN[0], longitude=DOWNTOWN[1], miles=10.0)
    assert "Women's shelter" in wide and len(wide) == len(SERVICES)


def test_it_shows_what_a_case_worker_needs_on_each_result(directory):
    actor = Actor.system("tests", program=directory.program)
    (result,) = service_search(actor, SearchFilter(text="Methadone", latitude=47.6015, longitude=-122.3170))
    assert result.organization == "Open Door Recovery"
    assert result.languages == ["English", "Russian"]
    assert result.hours == ["Mon, Tue, Wed, Thu, Fri, Sat, Sun 05:30–13:00"]
    assert result.phone == "206-555-0113"
    assert result.address == "1400 Yesler Way, Harbor City, WA, 98104"
    assert result.distance == 0.0


def test_it_keeps_each_programs_directory_apart(directory):
    outsider = Actor.system("tests", program=directory.other_program)
    assert service_search(outsider, SearchFilter()) == []
    assert search_options(outsider) == {"needs": [], "languages": []}


def test_it_measures_distance_like_a_map():
    # Seattle to Portland is about 145 miles as the crow flies.
    assert 140 < haversine_miles(47.6062, -122.3321, 45.5152, -122.6784) < 150
    south, north, west, east = bounding_box(47.6, -122.3, 10)
    for bearing_point in ((47.6 + 10 / 69.2, -122.3), (47.6, -122.3 + 10 / (69.2 * 0.674))):
        assert south <= bearing_point[0] <= north and west <= bearing_point[1] <= east
    assert bounding_box(89.9, 0, 50)[2:] == (-180.0, 180.0)


def test_it_answers_every_staff_role_and_no_one_else(directory, login, client):
    url = reverse("directory:search") + "?q=shelter"
    for role in Role:
        response = login(directory.users[role]).get(url)
        assert response.status_code == 200
        assert "Night shelter" in response.content.decode()
    outsider = login(directory.outsider).get(url)  # staff of another program: its own, empty directory
    assert outsider.status_code == 200 and "Night shelter" not in outsider.content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_it_refuses_a_place_it_does_not_know(directory, login):
    response = login(directory.users[Role.CASE_MANAGER]).get(
        reverse("directory:search") + "?place=town:Nowhere"
    )
    assert "Choose a place from the list." in response.content.decode()


def test_it_offers_places_by_name_never_raw_coordinates(directory, login):
    page = login(directory.users[Role.CASE_MANAGER]).get(reverse("directory:search")).content.decode()
    assert '<option value="town:Harbor City, WA">Harbor City, WA</option>' in page
    assert "Postal code 98104" in page and "1400 Yesler Way" in page
    assert "latitude" not in page.lower() and "longitude" not in page.lower()


def _place(world, words: str) -> str:
    places = search_places(Actor.system("tests", program=world.program))
    return next(key for key, (label, _lat, _lon) in places.items() if words in label)


def test_it_finds_services_near_a_named_place(directory, login):
    client = login(directory.users[Role.CASE_MANAGER])
    yesler = _place(directory, "1400 Yesler Way")
    near = client.get(reverse("directory:search"), {"place": yesler, "miles": "0.1"}).content.decode()
    assert near.count('class="card"') == 3 and "0.0 miles away" in near
    town = client.get(reverse("directory:search"), {"place": "town:Harbor City, WA", "miles": "20"})
    assert town.content.decode().count('class="card"') == len(SERVICES)


def test_it_runs_a_constant_number_of_queries(directory, login):
    client = login(directory.users[Role.CASE_MANAGER])
    url = reverse("directory:search") + "?place=town:Harbor+City,+WA&miles=20"
    client.get(url)  # warm: sessions, content types
    narrow_url = reverse("directory:search") + f"?place={_place(directory, '1400 Yesler Way')}&miles=0.1"
    with CaptureQueriesContext(connection) as few:
        narrow = client.get(narrow_url)
    with CaptureQueriesContext(connection) as many:
        wide = client.get(url)
    assert narrow.content.decode().count('class="card"') == 3  # the services at 1400 Yesler Way
    assert wide.content.decode().count('class="card"') == len(SERVICES)
    assert len(many) == len(few)
