"""A case manager finds a service in the directory, refers, and updates the referral from the pages."""

from django.urls import reverse

from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.transitions.models import ServiceReferral
from tests.transitions.conftest import give_consent


def test_it_refers_from_a_directory_search_and_updates(world, login, service):
    client = login(world.users[Role.CASE_MANAGER])
    case = world.own_case
    new = reverse("transitions:referral_new", args=[case.pk])
    page = client.get(new + "?q=rehousing")
    assert page.status_code == 200 and "Rapid rehousing" in page.content.decode()
    refused = client.post(new, {"service": str(service.hsds_id), "area": "housing", "refer_now": "on"})
    assert refused.status_code == 400 and "has not consented" in refused.content.decode()
    give_consent(case)
    sent = client.post(
        new,
        {
            "service": str(service.hsds_id),
            "area": "housing",
            "refer_now": "on",
            "need": "A room before winter",
        },
    )
    assert sent.status_code == 302
    with trusted("tests"):
        referral = ServiceReferral.objects.get()
    assert (referral.status, referral.provider_name, referral.service_id) == (
        "referred",
        "Harbor Housing",
        service.pk,
    )
    listing = client.get(reverse("transitions:referrals", args=[case.pk])).content.decode()
    assert "Harbor Housing" in listing and "Days pending" in listing
    update = reverse("transitions:referral_update", args=[case.pk, referral.pk])
    bad = client.post(update, {"to_status": "completed"})
    assert bad.status_code == 400
    assert (
        client.post(update, {"to_status": "accepted", "provider_response": "Intake Tuesday"}).status_code
        == 302
    )
    with trusted("tests"):
        referral.refresh_from_db()
    assert (referral.status, referral.provider_response) == ("accepted", "Intake Tuesday")
