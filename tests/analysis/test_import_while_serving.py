"""A large records import on a SQLite file database does not keep the site waiting: it inserts in
short transactions, so a case page (whose read writes an audit entry) still answers 200 within a few
seconds while `offramp import_records` loads a people file in another process; and the file loads
whole or not at all, also when an insert fails part-way."""

import re
import subprocess
import time
from html import unescape
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError

from offramp.access.scope import trusted
from offramp.analysis import staging
from offramp.analysis.actions import records_import
from offramp.analysis.models import ImportBatch, Subject
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.programs.roles import Role
from tests.analysis.conftest import actor_for
from tests.commands import copy_migrated_database, offramp_command, offramp_env, run_offramp
from tests.ops.servers import free_port, offramp_process

ROWS = 60_000  # thirty insert transactions: the lock is let go between each
PAGE_SECONDS = 4.0  # the busy timeout is 5 s: a page that waited that long would answer 503
HEADER = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
)
SETUP = """
from django.contrib.auth import get_user_model
from offramp.access.scope import trusted
from offramp.accounts.mfa import demo_totp_enrol, demo_totp_secret
from offramp.cases.models import Case
from offramp.demo.generator import seed_program
seed_program(people=30, seed=3, slug="north")
user = get_user_model().objects.get(username="supervisor")
user.set_password("{password}")
user.save()
demo_totp_enrol(user)
with trusted("tests"):
    case = Case.objects.filter(program__slug="north").order_by("pk").first()
print(case.pk, demo_totp_secret("supervisor"))
"""
PASSWORD = "a passphrase for the import test"


def _people_file(path, rows: int, *, bad_line: int | None = None):
    with path.open("w") as out:
        out.write(HEADER)
        for i in range(rows):
            dob = "1980-13-40" if i + 2 == bad_line else "1980-05-17"
            out.write(f"S{i},BAU,Ana,Lopez,{dob},female,White,area_1,theft,2012-03-01,,0,\n")
    return path


class Client:
    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, form=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"http://127.0.0.1:{self.port}",
                }
            )
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        connection.close()
        return response.status, page

    def csrf(self, path):
        _, page = self.request("GET", path)
        return unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))


def _sign_in(client, secret):
    from offramp.accounts.mfa import totp_code

    form = {"login": "supervisor", "password": PASSWORD, "acknowledge": "on"}
    form["csrfmiddlewaretoken"] = client.csrf("/accounts/login/")
    status, _ = client.request("POST", "/accounts/login/", form)
    assert status == 302
    token = client.csrf("/accounts/2fa/authenticate/")
    status, _ = client.request(
        "POST", "/accounts/2fa/authenticate/", {"csrfmiddlewaretoken": token, "code": totp_code(secret)}
    )
    assert status == 302


def test_a_case_page_answers_quickly_while_a_large_file_loads(tmp_path):
    data = tmp_path / "data"
    copy_migrated_database(data)
    env = offramp_env(data, OFFRAMP_MODE="test")
    prepared = run_offramp("shell", "-c", SETUP.format(password=PASSWORD), env=env)
    assert prepared.returncode == 0, prepared.stderr
    case_id, secret = prepared.stdout.strip().splitlines()[-1].split()
    people = _people_file(tmp_path / "people.csv", ROWS)
    (tmp_path / "people.toml").write_text(PEOPLE_MAPPING)
    port = free_port()
    log = tmp_path / "serve.log"
    with offramp_process("serve", "--port", str(port), "--processes", "1", env=env, port=port, log=log):
        client = Client(port)
        _sign_in(client, secret)
        assert client.request("GET", f"/cases/{case_id}/")[0] == 200
        load = [*offramp_command("import_records", str(people)), "--mapping", str(tmp_path / "people.toml")]
        importer = subprocess.Popen([*load, "--program", "north"], env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
        answers = []
        while importer.poll() is None:
            started = time.monotonic()
            status, _ = client.request("GET", f"/cases/{case_id}/")
            answers.append((status, time.monotonic() - started))
        assert importer.returncode == 0, importer.stderr.read()
    during = answers[:-1] or answers  # the last one may have started after the import had finished
    assert len(during) >= 3, f"the import finished too fast to be measured against: {answers}"
    refused = [a for a in answers if a[0] != 200]
    server = [line for line in log.read_text(errors="replace").splitlines() if "gunicorn.access" not in line]
    assert not refused, f"{refused}\n" + "\n".join(server[-80:])
    slowest = max(seconds for _, seconds in answers)
    assert slowest < PAGE_SECONDS, f"a case page took {slowest:.1f} s during the import"
    counted = run_offramp(
        "shell",
        "-c",
        "from offramp.access.scope import trusted; from offramp.analysis.models import ImportBatch\n"
        "with trusted('tests'): print(list(ImportBatch.objects.values_list('status', 'rows')))",
        env=env,
    )
    assert counted.stdout.strip().splitlines()[-1] == f"[('loaded', {ROWS})]", counted.stderr


def _counts():
    with trusted("tests"):
        return ImportBatch.objects.count(), Subject.objects.count()


@pytest.mark.django_db
def test_a_bad_row_at_the_end_of_a_large_file_loads_nothing(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    rows = 2 * staging.INSERT_BATCH + 10
    path = _people_file(tmp_path / "p.csv", rows, bad_line=rows - 3)
    with pytest.raises(ValidationError, match=f"{rows - 3}"):
        records_import(actor=pm, path=path, mapping_text=PEOPLE_MAPPING)
    assert _counts() == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_an_insert_failing_part_way_removes_what_was_staged(world, tmp_path, monkeypatch):
    """The disk filling up on the second chunk, say: the first chunk was committed, and is removed."""
    pm = actor_for(world, Role.PROJECT_MANAGER)
    real_insert, calls = staging.rows_insert, []

    def insert_then_fail(model, objects):
        calls.append(model)
        if len(calls) == 2:
            raise OSError("no space left on device")
        real_insert(model, objects)

    monkeypatch.setattr(staging, "rows_insert", insert_then_fail)
    path = _people_file(tmp_path / "p.csv", 2 * staging.INSERT_BATCH + 10)
    with pytest.raises(OSError, match="no space left"):
        records_import(actor=pm, path=path, mapping_text=PEOPLE_MAPPING)
    assert _counts() == (0, 0)
    monkeypatch.setattr(staging, "rows_insert", real_insert)
    rows = 2 * staging.INSERT_BATCH + 10
    assert records_import(actor=pm, path=path, mapping_text=PEOPLE_MAPPING).rows == rows
    assert _counts() == (1, rows)
