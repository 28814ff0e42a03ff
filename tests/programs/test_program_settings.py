"""The program settings page: every setting the code reads, grouped, checked, saved and audited."""

import datetime as dt
import io
import pathlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.cases.models import Case
from offramp.programs import configuration
from offramp.programs.models import Program
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Referral
from tests.referrals.test_referral_divert import post

ROOT = pathlib.Path(__file__).resolve().parents[2]
URL = reverse("sites:settings")


def page_texts(client) -> dict:
    form = client.get(URL).context["form"]
    return {key: form[key].value() or "" for key in form.fields}


def save(client, **changes):
    data = {**page_texts(client), **changes}
    return client.post(URL, data)


def reload(program) -> Program:
    return Program.objects.get(pk=program.pk)


def test_it_lists_every_key_the_code_reads_and_nothing_else():
    """Every `.setting("key")` in the code is in the table, and nothing reads the configuration ad hoc."""
    read, ad_hoc = set(), []
    for path in (ROOT / "offramp").rglob("*"):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"\.setting\(\s*\"(\w+)\"", text))
        if re.search(r"configuration\.get\(|configuration\[\"|configuration\.\w+\|", text):
            ad_hoc.append(str(path.relative_to(ROOT)))
    assert ad_hoc == []
    assert read <= set(configuration.SETTINGS)
    assert set(configuration.SETTINGS) <= read  # nothing in the table that no code reads


def test_the_docs_table_is_generated_from_the_settings_table():
    out = io.StringIO()
    call_command("program-settings", "--markdown", stdout=out)
    assert (ROOT / "docs" / "program-settings.md").read_text(encoding="utf-8") == out.getvalue()
    assert "| Caseload hard limit | `caseload_hard_limit` | 25 | 1 to 200 |" in out.getvalue()


def test_the_command_lists_a_programs_values(world):
    world.program.configuration = {"caseload_hard_limit": 30}
    world.program.save()
    out = io.StringIO()
    call_command("program-settings", "--program", "test", stdout=out)
    assert "caseload_hard_limit: 30\n" in out.getvalue() and "caseload_soft_limit: 20\n" in out.getvalue()
    with pytest.raises(CommandError, match="No program with the slug 'nowhere'"):
        call_command("program-settings", "--program", "nowhere")


def test_it_reads_defaults_until_set(world):
    assert world.program.setting("caseload_hard_limit") == 25
    assert world.program.setting("shifts") == {"Day": "07:00", "Evening": "15:00", "Night": "23:00"}
    world.program.setting("shifts")["Day"] = "08:00"  # a caller cannot change the default for others
    assert world.program.setting("shifts")["Day"] == "07:00"
    with pytest.raises(KeyError):
        world.program.setting("no_such_setting")


def test_it_shows_every_setting_grouped_with_its_default(world, login):
    body = login(world.users[Role.PROJECT_MANAGER]).get(URL).content.decode()
    for label, settings in configuration.grouped():
        on_page = [s for s in settings if s.on_page]
        assert (f"<legend>{label}</legend>" in body) == bool(on_page)
        for setting in on_page:
            assert setting.label in body
            assert f"Default: {setting.shown_default}" in body.replace("&#x27;", "'")
    assert body.index("Caseload warning limit") < body.index("Intake window") < body.index("Shifts")


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN])
def test_it_saves_a_change_and_audits_before_and_after(world, login, role):
    client = login(world.users[role])
    response = save(client, caseload_soft_limit="12", caseload_hard_limit="15", intake_phone="206-555-0100")
    assert response.status_code == 302
    program = reload(world.program)
    assert program.setting("caseload_soft_limit") == 12
    assert program.setting("caseload_hard_limit") == 15
    assert program.setting("intake_phone") == "206-555-0100"
    entry = AuditEntry.objects.filter(object_type="Program", action="update").first()
    assert entry.actor == world.users[role]
    assert entry.detail == {
        "settings": {
            "caseload_soft_limit": {"before": None, "after": 12},
            "caseload_hard_limit": {"before": None, "after": 15},
            "intake_phone": {"before": None, "after": "206-555-0100"},
        }
    }
    # Clearing a field returns it to the default, audited too; an unchanged save writes nothing.
    save(client, intake_phone="")
    assert reload(world.program).setting("intake_phone") == ""
    assert AuditEntry.objects.filter(object_type="Program").first().detail == {
        "settings": {"intake_phone": {"before": "206-555-0100", "after": None}}
    }
    # The rule across settings reads the defaults too: a blank warning limit (20) over the hard limit.
    assert save(client, caseload_soft_limit="").status_code == 400
    count = AuditEntry.objects.filter(object_type="Program").count()
    save(client)
    assert AuditEntry.objects.filter(object_type="Program").count() == count


@pytest.mark.parametrize(
    "field,text,message",
    [
        ("caseload_hard_limit", "lots", "Caseload hard limit: enter a whole number."),
        ("caseload_hard_limit", "0", "Caseload hard limit: enter a number from 1 to 200."),
        (
            "caseload_soft_limit",
            "30",
            "Caseload warning limit (30) must not be above the caseload hard limit (25).",
        ),
        ("intake_window_days", "400", "Intake window (days): enter a number from 1 to 365."),
        (
            "intake_warning_days",
            "7, soon",
            "Intake deadline reminders (days before): enter whole numbers of days from 1 to 365, "
            "separated by commas.",
        ),
        ("shifts", "Day = 07:00\nNight = 25:00", 'Shifts (name = start): line 2: "25:00" is not a time'),
        ("shifts", "Day = 07:00\nLate = 7:00", "Shifts (name = start): two shifts start at 07:00"),
        ("shifts", "Day 07:00", 'Shifts (name = start): line 1 must read "name = value".'),
        ("equity_reference", "colour = Blue", '"colour" is not one of race, ethnicity'),
        ("small_cell_threshold", "5", "Smallest count shown: 5 is below this deployment's minimum of 11"),
    ],
)
def test_it_refuses_bad_input_naming_the_setting_and_changes_nothing(world, login, field, text, message):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = reload(world.program).configuration
    audits = AuditEntry.objects.count()
    response = save(client, intake_place="Changed too", **{field: text})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert reload(world.program).configuration == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN)])
def test_no_other_role_sees_or_changes_the_settings(world, login, role):
    client = login(world.users[role])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"caseload_hard_limit": "1"}).status_code == 404
    assert reload(world.program).configuration == {}


def test_a_change_stays_in_its_own_program(world, login):
    save(login(world.users[Role.PROJECT_MANAGER]), caseload_hard_limit="40")
    assert reload(world.other_program).setting("caseload_hard_limit") == 25


def test_the_next_referral_follows_the_intake_window(world, login):
    protocol_publish_example(program=world.program, name="seattle")
    pm = login(world.users[Role.PROJECT_MANAGER])
    assert save(pm, intake_window_days="10").status_code == 302
    officer = login(world.users[Role.OFFICER])
    assert post(officer, "divert").status_code == 302
    with trusted("test"):
        referral = Referral.objects.get(idempotency_key="k-1")
        case = Case.objects.get(referral=referral)
    today = referral.referred_at.astimezone(world.program.zone).date()
    assert case.intake_due == today + dt.timedelta(days=10)
