"""Every command refuses malformed input with a clear error and stores nothing.

Each case runs the command in-process with one bad input; it must raise CommandError (never
another exception: that would be a traceback), lead with a clear line, and leave every offramp
table's row count as it was (the audit log aside). A few run as child processes too, to check
that the user sees one line and no traceback.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from offramp.access.scope import trusted
from offramp.referrals.protocol import EXAMPLES_DIR
from tests.analysis.test_evaluate_command import EXAMPLE as STUDY
from tests.commands import copy_migrated_database, offramp_env, run_offramp
from tests.referrals.screening_files import publish_seattle

EXAMPLES = EXAMPLES_DIR.parent / "examples"
ARRESTS, MAPPING = EXAMPLES / "cascade_pd_arrests.csv", EXAMPLES / "cascade_pd_mapping.toml"
RECORDS = EXAMPLES.parents[1] / "reports" / "examples" / "legal_events.csv"
NESTED_JSON = "[" * 5000 + "]" * 5000
NESTED_TOML = "a = " + "[" * 5000 + "]" * 5000


def _files(tmp: Path) -> dict[str, str]:
    """Bad files by name, written into the test's folder."""
    arrests = ARRESTS.read_text()
    made = {
        "empty.csv": "",
        "garbage.csv": "\x89PNG\r\n\x1a\n\x00\x00binary",
        "nul.csv": arrests.replace("RCW", "R\x00CW", 1),
        "bad-date.csv": arrests.replace("03/05/2026,16:45", "3/5/26x,16:45"),
        "year-9999.csv": arrests.replace("03/05/2026,16:45", "03/05/9999,16:45"),
        "header-only.csv": arrests.splitlines()[0] + "\n",
        "not-toml.toml": "this is = = not toml",
        "nested.toml": NESTED_TOML,
        "nested.json": NESTED_JSON,
        "not-a-zip.zip": "PK? no, plain text",
        "garbage.json": "{not json",
        "huge-number.toml": "version = 100000000000000000000000\n",
        "study-bad-measure.toml": STUDY.read_text().replace('measure = "any"', 'measure = "some"', 1),
        "study-absurd-months.toml": STUDY.read_text().replace("months = 6", "months = 99999999999", 1),
        "study-nul.toml": STUDY.read_text().replace('name = "', 'name = "\\u0000', 1),
        "people.csv": "id,arm\n1,lead\n",
        "events-garbage.csv": "\x00\x01\x02",
    }
    for name, text in made.items():
        (tmp / name).write_text(text)
    (tmp / "a-folder").mkdir()
    return {name: str(tmp / name) for name in [*made, "a-folder"]} | {"missing": str(tmp / "no" / "such")}


def screen(f, **kw):
    return ("screen", [kw.pop("arrests", str(ARRESTS))], {"program": "test", "mapping": str(MAPPING), **kw})


def evaluate(f, study, **kw):
    return ("evaluate", [study], {"program": "test", "out": f["a-folder"] + "/report", **kw})


def records(f, file, mapping=str(MAPPING), program="test"):
    return ("import_records", [file], {"mapping": mapping, "program": program})


def council(f, **kw):
    options = {"program": "test", "arrests": str(ARRESTS), "mapping": str(MAPPING), "records": str(RECORDS)}
    return ("council-report", [], {**options, "out": f["a-folder"] + "/council", **kw})


def directory(f, path, program="test"):
    return ("directory", ["import", path], {"program": program})


# name -> f -> (command, args, options)
CASES = {
    "screen-missing-arrests": lambda f: screen(f, arrests=f["missing"]),
    "screen-arrests-folder": lambda f: screen(f, arrests=f["a-folder"]),
    "screen-empty": lambda f: screen(f, arrests=f["empty.csv"]),
    "screen-garbage": lambda f: screen(f, arrests=f["garbage.csv"]),
    "screen-nul": lambda f: screen(f, arrests=f["nul.csv"]),
    "screen-bad-date": lambda f: screen(f, arrests=f["bad-date.csv"]),
    "screen-year-9999": lambda f: screen(f, arrests=f["year-9999.csv"]),
    "screen-header-only": lambda f: screen(f, arrests=f["header-only.csv"]),
    "screen-missing-mapping": lambda f: screen(f, mapping=f["missing"]),
    "screen-mapping-not-toml": lambda f: screen(f, mapping=f["not-toml.toml"]),
    "screen-mapping-nested": lambda f: screen(f, mapping=f["nested.toml"]),
    "screen-mapping-empty": lambda f: screen(f, mapping=f["empty.csv"]),
    "screen-mapping-binary": lambda f: screen(f, mapping=f["garbage.csv"]),
    "screen-unknown-program": lambda f: screen(f, program="nowhere"),
    "screen-unknown-protocol": lambda f: screen(f, protocol=999),
    "screen-out-folder": lambda f: screen(f, out=f["a-folder"]),
    "screen-out-missing-folder": lambda f: screen(f, out=f["missing"] + "/x.csv"),
    "screen-out-name-too-long": lambda f: screen(f, out=f["a-folder"] + "/" + "n" * 300),
    "evaluate-missing-study": lambda f: evaluate(f, f["missing"]),
    "evaluate-study-folder": lambda f: evaluate(f, f["a-folder"]),
    "evaluate-study-not-toml": lambda f: evaluate(f, f["not-toml.toml"]),
    "evaluate-study-nested": lambda f: evaluate(f, f["nested.toml"]),
    "evaluate-study-empty": lambda f: evaluate(f, f["empty.csv"]),
    "evaluate-study-bad-measure": lambda f: evaluate(f, f["study-bad-measure.toml"]),
    "evaluate-study-absurd-months": lambda f: evaluate(f, f["study-absurd-months.toml"]),
    "evaluate-study-nul": lambda f: evaluate(f, f["study-nul.toml"]),
    "evaluate-unknown-program": lambda f: evaluate(f, str(STUDY), program="nowhere"),
    "evaluate-no-records": lambda f: evaluate(f, str(STUDY)),
    "evaluate-people-without-events": lambda f: evaluate(f, str(STUDY), people=f["people.csv"]),
    "evaluate-missing-people": lambda f: evaluate(f, str(STUDY), people=f["missing"], events=f["missing"]),
    "evaluate-garbage-events": lambda f: evaluate(
        f, str(STUDY), people=f["people.csv"], events=f["events-garbage.csv"]
    ),
    "records-missing-file": lambda f: records(f, f["missing"]),
    "records-empty": lambda f: records(f, f["empty.csv"]),
    "records-garbage": lambda f: records(f, f["garbage.csv"]),
    "records-missing-mapping": lambda f: records(f, str(ARRESTS), mapping=f["missing"]),
    "records-mapping-nested": lambda f: records(f, str(ARRESTS), mapping=f["nested.toml"]),
    "records-unknown-program": lambda f: records(f, str(ARRESTS), program="nowhere"),
    "directory-missing": lambda f: directory(f, f["missing"]),
    "directory-nested-json": lambda f: directory(f, f["nested.json"]),
    "directory-garbage-json": lambda f: directory(f, f["garbage.json"]),
    "directory-not-a-zip": lambda f: directory(f, f["not-a-zip.zip"]),
    "directory-empty-folder": lambda f: directory(f, f["a-folder"]),
    "directory-unknown-program": lambda f: directory(f, f["garbage.json"], program="nowhere"),
    "council-no-study": lambda f: council(f),
    "council-garbage-arrests": lambda f: council(f, arrests=f["garbage.csv"]),
    "council-garbage-records": lambda f: council(f, records=f["events-garbage.csv"]),
    "council-missing-records": lambda f: council(f, records=f["missing"]),
    "council-mapping-nested": lambda f: council(f, mapping=f["nested.toml"]),
    "council-unknown-program": lambda f: council(f, program="nowhere"),
    "restore-missing": lambda f: ("restore", [f["missing"]], {}),
    "restore-garbage": lambda f: ("restore", [f["garbage.csv"]], {}),
}


def _counts() -> dict[str, int]:
    with trusted("tests"):
        return {
            m._meta.label: m.objects.count()
            for m in apps.get_models()
            if m.__module__.startswith("offramp.") and m._meta.label != "access.AuditEntry"
        }


@pytest.mark.parametrize("name", list(CASES))
def test_it_refuses_malformed_command_input_and_stores_nothing(world, tmp_path, name):
    publish_seattle(world)
    files = _files(tmp_path)
    command, args, options = CASES[name](files)
    before = _counts()
    with pytest.raises(CommandError) as raised:
        call_command(command, *args, **options)
    first = str(raised.value).splitlines()[0] if str(raised.value) else ""
    assert len(first) > 10 and "Traceback" not in str(raised.value)
    assert _counts() == before


@pytest.mark.parametrize(
    "args",
    [
        ["screen", "no-such.csv", "--program", "test", "--mapping", "no-such.toml"],
        ["evaluate", "no-such-study.toml"],
        ["directory", "import", "no-such-folder", "--program", "nowhere"],
    ],
)
def test_the_user_sees_one_line_and_no_traceback(tmp_path, args):
    env = offramp_env(tmp_path, OFFRAMP_MODE="demo")
    copy_migrated_database(tmp_path)  # a migrated database, as after `offramp migrate`
    result = run_offramp(*args, env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
