import pytest

from offramp.access.scope import UnscopedAccess, trusted
from offramp.cases.models import Case, Contact
from offramp.people.models import Person
from offramp.referrals.models import Referral


@pytest.mark.parametrize("model", [Person, Case, Contact, Referral])
def test_it_refuses_participant_queries_outside_the_access_layer(world, model):
    with pytest.raises(UnscopedAccess, match="outside the access layer"):
        list(model.objects.all())


def test_it_refuses_reverse_relations_outside_the_access_layer(world):
    person = world.own_case.person  # a forward relation from a record already read is fine
    with pytest.raises(UnscopedAccess):
        list(person.cases.all())


def test_it_allows_queries_inside_trusted(world):
    with trusted("test"):
        assert Person.objects.filter(program=world.program).count() == 2
