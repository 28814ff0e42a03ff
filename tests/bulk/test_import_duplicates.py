"""Duplicates in a caseload import: a row with a known person's legal name and date of birth joins that
person; a row that only may be someone known is made as a new person and a link of the two is suggested
for the case team (the file loads); the dry run lists the suggestions row by row; a bad row still loads
nothing; a pair dismissed (or linked) before is never suggested again."""

import csv
import io
from pathlib import Path

from django.core.management import call_command

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.bulk.actions import ERR_MANAGER, SuggestedRow, program_import
from offramp.people.actions import link_suggestion_dismiss
from offramp.people.models import Alias, LinkSuggestion, Person
from offramp.programs.roles import Role
from tests.bulk.test_program_import import EXAMPLE, HEADER, _actor, _counts, _write

ONE_LETTER = "same date of birth; first name differs by one letter"


def _one(
    *, first="Ana", last="Lopez", dob="05/17/1980", source="X1", manager="", new_person=None
) -> list[str]:
    row = [source, first, last, dob, manager, "Active", "01/15/2024", "", "", "", "", ""]
    return row if new_person is None else [*row, new_person]


def _with_new_person(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*HEADER, "SomeoneElse"])
        writer.writerows(rows)
    return path


NEW_PERSON_MAPPING = EXAMPLE.read_text().replace("[columns]\n", '[columns]\nnew_person = "SomeoneElse"\n', 1)


def _import(world, path, **options):
    return program_import(actor=_actor(world), path=path, mapping_text=EXAMPLE.read_text(), **options)


def _suggestions(world) -> list[LinkSuggestion]:
    with trusted("tests"):
        return list(LinkSuggestion.objects.filter(program=world.program).order_by("pk"))


def _supervisor(world) -> Actor:
    user = world.users[Role.CASE_SUPERVISOR]
    return Actor(user=user, program=world.program, roles=frozenset({Role.CASE_SUPERVISOR}))


def test_the_same_legal_name_and_birth_date_joins_that_person(world, tmp_path):
    # The world's Ana Lopez, born 1980-05-17, already has a case; the file spells her name in capitals,
    # and lists her twice.
    path = _write(tmp_path / "caseload.csv", [_one(first="ANA", last=" lopez"), _one(source="X2")])
    people_before, cases_before, _ = _counts(world)
    report = _import(world, path)
    assert report.problems == [] and report.loaded
    assert report.joined == [(2, world.own_case.person_id), (3, world.own_case.person_id)]
    assert report.people_created == 0
    assert report.suggested == [] and report.links_suggested == 0
    assert _counts(world)[:2] == (people_before, cases_before + 2)
    entry = AuditEntry.objects.get(object_type="ProgramImport")
    assert entry.detail["joined_same_identity"][0] == {"line": 2, "person_id": world.own_case.person_id}
    assert _suggestions(world) == []


def test_a_likely_duplicate_is_made_and_suggested_for_review_and_the_file_loads(world, tmp_path):
    # "Anna" is not Ana's legal name: maybe her, maybe not. Ben Okoro's row joins Ben.
    ana = world.own_case.person_id
    rows = [_one(source="B1", first="Ben", last="Okoro", dob="01/02/1975"), _one(first="Anna")]
    path = _write(tmp_path / "caseload.csv", rows)
    people_before, cases_before, _ = _counts(world)

    dry = _import(world, path, dry_run=True)
    assert dry.problems == [] and not dry.loaded
    assert dry.joined == [(2, world.other_case.person_id)]
    assert dry.suggested == [SuggestedRow(line=3, person_id=None, maybe=ana, reason=ONE_LETTER)]
    assert (dry.people_created, dry.links_suggested) == (1, 1)
    assert _counts(world)[:2] == (people_before, cases_before) and _suggestions(world) == []

    report = _import(world, path)
    assert report.problems == [] and report.loaded and report.links_suggested == 1
    assert _counts(world)[:2] == (people_before + 1, cases_before + 2)
    with trusted("tests"):
        anna = Person.objects.get(program=world.program, legal_first_name="Anna")
    (suggestion,) = _suggestions(world)
    assert (suggestion.person_id, suggestion.other_id) == (ana, anna.pk)  # lower id first
    assert suggestion.state == LinkSuggestion.State.SUGGESTED and suggestion.link_id is None
    assert suggestion.reason == ONE_LETTER and "Anna" not in suggestion.reason
    assert suggestion.source == "Caseload import: caseload.csv, line 3"
    assert suggestion.suggested_by == world.users[Role.PROJECT_MANAGER]
    entry = AuditEntry.objects.get(object_type="ProgramImport")
    assert entry.detail["link_suggestions"] == [suggestion.pk]
    recorded = AuditEntry.objects.get(object_type="LinkSuggestion", action="create")
    assert recorded.detail["people"] == [[ana, anna.pk]]


def test_the_command_lists_each_suggestion_by_line(world, tmp_path):
    path = _write(tmp_path / "caseload.csv", [_one(first="Anna")])
    out = io.StringIO()
    call_command(
        "import-program",
        str(path),
        program=world.program.slug,
        mapping=str(EXAMPLE),
        dry_run=True,
        stdout=out,
    )
    said = out.getvalue()
    assert f"line 2: the new person may be person {world.own_case.person_id} ({ONE_LETTER})" in said
    assert "Would import 1 cases, 1 new people, 0 joined, 1 links suggested for review." in said
    assert _suggestions(world) == []


def test_an_alias_or_two_people_with_the_identity_are_likely_duplicates_too(world, tmp_path):
    with trusted("tests"):
        Alias.objects.create(
            program=world.program, person=world.own_case.person, first_name="Nita", last_name="Cruz"
        )
        twin = Person.objects.create(
            program=world.program, legal_first_name="Ben", legal_last_name="Okoro", date_of_birth="1975-01-02"
        )
    rows = [_one(first="Nita", last="Cruz"), _one(source="B1", first="Ben", last="Okoro", dob="01/02/1975")]
    report = _import(world, _write(tmp_path / "caseload.csv", rows), dry_run=True)
    assert report.suggested == [
        SuggestedRow(
            2, None, world.own_case.person_id, "same date of birth; the same name as one of their aliases"
        ),
        SuggestedRow(3, None, world.other_case.person_id, "same date of birth; the same name"),
        SuggestedRow(3, None, twin.pk, "same date of birth; the same name"),
    ]
    assert report.joined == [] and (report.people_created, report.links_suggested) == (2, 3)


def test_rows_of_one_new_person_suggest_one_link(world, tmp_path):
    path = _write(tmp_path / "caseload.csv", [_one(first="Anna"), _one(first="anna", source="X2")])
    report = _import(world, path)
    assert [row.line for row in report.suggested] == [2, 3]
    assert report.people_created == 1 and report.links_suggested == 1 and len(_suggestions(world)) == 1


def test_new_person_yes_makes_someone_else_and_suggests_nothing(world, tmp_path):
    path = _with_new_person(tmp_path / "caseload.csv", [_one(first="Anna", new_person="yes")])
    people_before = _counts(world)[0]
    report = program_import(actor=_actor(world), path=path, mapping_text=NEW_PERSON_MAPPING)
    assert report.problems == [] and report.loaded and report.people_created == 1
    assert report.suggested == [] and report.joined == []
    assert _counts(world)[0] == people_before + 1 and _suggestions(world) == []


def test_a_bad_row_beside_a_likely_duplicate_loads_nothing_and_is_named(world, tmp_path):
    rows = [
        _one(first="Anna"),
        _one(first="Cy", last="Vance", dob="02/02/1991", source="X2", manager="nobody"),
    ]
    path = _write(tmp_path / "caseload.csv", rows)
    before = _counts(world)
    report = _import(world, path)
    assert not report.loaded
    assert report.problems == [
        f"caseload.csv, line 3, case_manager (column 'CaseManager'): {ERR_MANAGER.format(value='nobody')}"
    ]
    assert _counts(world) == before and _suggestions(world) == []
    assert not AuditEntry.objects.filter(object_type__in=["ProgramImport", "LinkSuggestion"]).exists()


def test_a_dismissed_pair_is_never_suggested_again(world, tmp_path):
    # The first import makes Anna Lopez and suggests her with Ana; the case team says two people.
    _import(world, _write(tmp_path / "first.csv", [_one(first="Anna")]))
    (first,) = _suggestions(world)
    link_suggestion_dismiss(actor=_supervisor(world), suggestion_id=first.pk, reason="Different mothers")
    # A later export lists Anna again: she joins Anna, who is still like Ana, but the pair was decided.
    again = _write(tmp_path / "again.csv", [_one(first="Anna", source="X9")])
    dry = _import(world, again, dry_run=True)
    assert dry.joined == [(2, first.other_id)] and dry.suggested == [] and dry.links_suggested == 0
    report = _import(world, again)
    assert report.loaded and report.links_suggested == 0
    assert [(s.pk, s.state) for s in _suggestions(world)] == [(first.pk, LinkSuggestion.State.DISMISSED)]


def test_a_row_that_joins_someone_like_another_known_person_suggests_that_pair_once(world, tmp_path):
    # Without a decision the same row does suggest the pair: what keeps a dismissed pair quiet is the
    # dismissal, not the join.
    with trusted("tests"):
        anna = Person.objects.create(
            program=world.program,
            legal_first_name="Anna",
            legal_last_name="Lopez",
            date_of_birth="1980-05-17",
        )
    path = _write(tmp_path / "caseload.csv", [_one(first="Anna"), _one(source="X2")])  # Anna, then Ana
    report = _import(world, path)
    ana = world.own_case.person_id
    assert report.joined == [(2, anna.pk), (3, ana)]
    assert report.suggested == [
        SuggestedRow(2, anna.pk, ana, ONE_LETTER),
        SuggestedRow(3, ana, anna.pk, ONE_LETTER),
    ]
    assert report.links_suggested == 1
    (suggestion,) = _suggestions(world)
    assert (suggestion.person_id, suggestion.other_id) == (ana, anna.pk)


def test_two_rows_of_the_file_that_may_be_one_new_person_are_suggested_too(world, tmp_path):
    # Neither is known to the program (another birth date); "Tomas" and "Thomas" may be one man.
    rows = [
        _one(source="T1", first="Tomas", last="Reyes", dob="03/04/1990"),
        _one(source="T2", first="Thomas", last="Reyes", dob="03/04/1990"),
        _one(source="T3", first="Tomas", last="Reyes", dob="03/04/1991"),  # born a year later: no one
    ]
    path = _write(tmp_path / "caseload.csv", rows)
    dry = _import(world, path, dry_run=True)
    assert dry.problems == [] and (dry.people_created, dry.links_suggested) == (3, 1)
    (row,) = dry.suggested
    assert (row.line, row.person_id, row.maybe, row.maybe_line) == (3, None, None, 2)
    assert "same date of birth" in row.reason
    report = _import(world, path)
    assert report.loaded and report.links_suggested == 1
    with trusted("tests"):
        tomas, thomas = (
            Person.objects.get(program=world.program, legal_first_name=name, date_of_birth="1990-03-04").pk
            for name in ("Tomas", "Thomas")
        )
    (suggestion,) = _suggestions(world)
    assert (suggestion.person_id, suggestion.other_id) == (tomas, thomas)
    assert suggestion.source == "Caseload import: caseload.csv, line 3"
    again = _write(tmp_path / "again.csv", [rows[1]])  # Thomas again: he joins, and nothing is new
    out = io.StringIO()
    command = {"mapping": str(EXAMPLE), "program": world.program.slug, "dry_run": True, "stdout": out}
    call_command("import-program", str(again), **command)
    assert f"line 2: joins person {thomas}" in out.getvalue() and "0 links suggested" in out.getvalue()


def test_the_command_names_the_earlier_line_a_row_may_be(world, tmp_path):
    rows = [
        _one(source="T1", first="Tomas", dob="03/04/1990"),
        _one(source="T2", first="Thomas", dob="03/04/1990"),
    ]
    out = io.StringIO()
    call_command(
        "import-program",
        str(_write(tmp_path / "caseload.csv", rows)),
        mapping=str(EXAMPLE),
        program=world.program.slug,
        dry_run=True,
        stdout=out,
    )
    assert "line 3: the new person may be the new person of line 2 (same date of birth" in out.getvalue()
