"""Nothing in the product can hold a drug test, an abstinence or compliance condition, or a 'failed'."""

from django.apps import apps

FORBIDDEN = ("drug_test", "abstinen", "complian", "sobriety", "urinalysis", "failed")


def test_it_has_no_field_for_drug_tests_abstinence_compliance_or_failure_in_any_model():
    names = [
        (model._meta.label, field.name) for model in apps.get_models() for field in model._meta.get_fields()
    ]
    assert len(names) > 100  # every model of the project was enumerated, not an empty list
    offending = [(label, name) for label, name in names if any(word in name.lower() for word in FORBIDDEN)]
    assert offending == []


def test_it_offers_no_such_choice_in_the_case_models():
    from offramp.cases import models

    choices = [
        value
        for enum in (
            models.Status,
            models.ExitReason,
            models.Goal.Area,
            models.Goal.Progress,
            models.Contact.Kind,
        )
        for value in enum.values
    ]
    assert choices
    assert not [v for v in choices if any(word in v for word in FORBIDDEN)]
