"""A project manager loads an export from the browser; a bad file is refused with its lines listed."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.analysis.models import ImportBatch, Subject
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.programs.roles import Role

CSV = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
    "S1,LEAD,Ana,Lopez,1980-05-17,female,White,area_1,theft,2012-03-01,,6,\n"
)


def _post(client, text):
    upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("analysis:import"), {"file": upload, "mapping": PEOPLE_MAPPING, "source": "jail"}
    )


def test_it_loads_a_good_file_and_lists_it(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = _post(client, CSV)
    assert response["Location"] == reverse("analysis:import")
    page = client.get(reverse("analysis:import")).content.decode()
    assert "roster.csv" in page and "Loaded 1 rows from roster.csv." in page
    with trusted("test"):
        assert (ImportBatch.objects.get().source, Subject.objects.get().last_name) == ("jail", "Lopez")


def test_it_refuses_a_bad_file_and_names_the_line(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    page = _post(client, CSV.replace("1980-05-17", "17/05/1980")).content.decode()
    assert (
        "roster.csv, line 2, date_of_birth (column &#x27;dob&#x27;): "
        "&#x27;17/05/1980&#x27; is not a date in the format %Y-%m-%d" in page
    )
    with trusted("test"):
        assert not ImportBatch.objects.exists()


def test_it_hides_the_import_page_from_evaluators(world, login):
    client = login(world.users[Role.EVALUATOR])
    assert client.get(reverse("analysis:import")).status_code == 404
    assert _post(client, CSV).status_code == 404
