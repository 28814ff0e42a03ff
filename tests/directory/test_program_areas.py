"""The directory's "Near" search knows the program's own areas (the `areas` setting: precincts, beats,
neighbourhoods): each is offered by name, and a search names one whatever the case."""

import html

import pytest
from django.urls import reverse

from offramp.access.scope import Actor
from offramp.directory.queries import search_places
from offramp.directory.synthetic import directory_demo_load
from offramp.programs.roles import Role

AREA = "Yesler Terrace precinct"


def _point(world, words: str) -> tuple[float, float]:
    places = search_places(Actor.system("tests", program=world.program))
    return next((lat, lon) for label, lat, lon in places.values() if words in label)


@pytest.fixture
def areas(world, login):
    """The demo directory, and a project manager who names two areas on the settings page."""
    directory_demo_load(world.program)
    lat, lon = _point(world, "1400 Yesler Way")
    saved = login(world.users[Role.PROJECT_MANAGER]).post(
        reverse("sites:settings"), {"areas": f"{AREA} = {lat}, {lon}\nNorth precinct = 47.70, -122.33"}
    )
    assert saved.status_code == 302
    world.program.refresh_from_db()
    return world


def test_the_project_manager_names_areas_and_bad_lines_change_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    for text, message in (
        ("North precinct = up the hill", '"up the hill" is not a latitude and longitude'),
        ("North precinct = 95, -122.33", "the latitude runs from -90 to 90"),
        ("North precinct = 47.7, -122.3\nnorth PRECINCT = 47.6, -122.3", '"north PRECINCT" is named twice'),
    ):
        refused = client.post(reverse("sites:settings"), {"areas": text})
        assert refused.status_code == 400
        assert message in html.unescape(refused.content.decode())
    world.program.refresh_from_db()
    assert "areas" not in (world.program.configuration or {})
    assert world.program.setting("areas") == {}
    assert (
        client.post(reverse("sites:settings"), {"areas": "North precinct = 47.70, -122.33"}).status_code
        == 302
    )
    world.program.refresh_from_db()
    assert world.program.setting("areas") == {"North precinct": [47.7, -122.33]}
    page = html.unescape(client.get(reverse("sites:settings")).content.decode())
    assert "North precinct = 47.7, -122.33" in page  # the page shows the lines back


def test_the_search_offers_the_programs_areas_by_name(areas, login):
    page = html.unescape(
        login(areas.users[Role.CASE_MANAGER]).get(reverse("directory:search")).content.decode()
    )
    group = page.split('<optgroup label="The program\'s areas">')[1].split("</optgroup>")[0]
    assert f'<option value="area:{AREA}">{AREA}</option>' in group
    assert '<option value="area:North precinct">North precinct</option>' in group
    assert "latitude" not in page.split("<h1>Find a service</h1>", 1)[1].lower()  # names, never points


def test_a_search_near_an_area_by_name_finds_what_is_there(areas, login):
    client = login(areas.users[Role.CASE_MANAGER])
    places = search_places(Actor.system("tests", program=areas.program))
    yesler = next(key for key, (label, _lat, _lon) in places.items() if "1400 Yesler Way" in label)
    at_location = client.get(reverse("directory:search"), {"place": yesler, "miles": "0.1"}).content.decode()
    by_key = client.get(
        reverse("directory:search"), {"place": f"area:{AREA}", "miles": "0.1"}
    ).content.decode()
    by_name = client.get(
        reverse("directory:search"), {"place": AREA.upper(), "miles": "0.1"}
    ).content.decode()
    assert (
        by_name.count('class="card"')
        == by_key.count('class="card"')
        == at_location.count('class="card"')
        == 3
    )
    assert "0.0 miles away" in by_name
    assert f'<option value="area:{AREA}" selected>' in html.unescape(
        by_name
    )  # the list shows the area chosen
    far = client.get(
        reverse("directory:search"), {"place": "north precinct", "miles": "0.1"}
    ).content.decode()
    assert "0 services found" in far


def test_a_name_that_is_no_area_is_refused(areas, login):
    response = login(areas.users[Role.CASE_MANAGER]).get(
        reverse("directory:search"), {"place": "South precinct"}
    )
    assert "Choose a place from the list." in response.content.decode()
