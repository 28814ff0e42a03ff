"""The demo program's public defender: a login in the defender's agency, and some participants who
consent to the public defender's office, so the defender's legal coordination list is not empty."""

import datetime as dt

from offramp.access.models import Consent
from offramp.access.scope import Actor, trusted
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.legal.queries import legal_cases_for
from offramp.programs.models import Membership
from offramp.programs.roles import Role

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def test_the_demo_defender_sees_the_participants_who_consented_to_the_defenders_office(db):
    result = seed_program(people=200, seed=5, slug="pd", now=NOW)
    membership = Membership.objects.select_related("user", "agency").get(
        program=result.program,
        role=Role.PUBLIC_DEFENDER,
        user__username=DEMO_ACCOUNTS[Role.PUBLIC_DEFENDER][0],
    )
    assert membership.agency.name == "Cascade County Public Defender"
    with trusted("tests"):
        consents = Consent.objects.filter(program=result.program)
        to_defender = set(
            consents.filter(recipient_class=Consent.Recipient.PUBLIC_DEFENDER).values_list(
                "person_id", flat=True
            )
        )
        to_prosecutor = set(
            consents.filter(recipient_class=Consent.Recipient.PROSECUTOR).values_list("person_id", flat=True)
        )
    assert to_defender and to_defender < to_prosecutor
    actor = Actor(
        user=membership.user,
        program=result.program,
        roles=frozenset({Role.PUBLIC_DEFENDER}),
        source_address="127.0.0.1",
    )
    rows, total = legal_cases_for(actor)
    assert total and {row.name for row in rows} == {"A participant"}  # the consents do not cover identity
