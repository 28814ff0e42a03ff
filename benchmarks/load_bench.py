"""Many staff working at once against `offramp serve` on loopback: throughput, p50/p95/p99 and errors
per page, for each number of server processes and simulated users.

Run (PostgreSQL; the database named in the URL is dropped and made anew):
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/offramp_loadbench --users 20,100 --processes 1,2
Without --database-url it runs on a SQLite file in a temporary folder.

With --during-import ROWS, a records import of a ROWS-row people file (`offramp import_records`, in a
process of its own, again each time it finishes) runs from the moment every user has signed in to the
end of the round, and the table says how many imports loaded meanwhile: the site under a large import.
    .venv/bin/python benchmarks/load_bench.py --users 20 --processes 1 --during-import 200000

It prepares a demo program (`offramp demo --no-serve`: participants, a screening run with its equity
audit, a study), gives every simulated user an account of their own (a TOTP code is used once, so
accounts are not shared), then for each (processes, users) starts `offramp serve --processes N` and
runs locust headless: the counts start once every user has signed in and run for --seconds (sign-ins
hash a password each, the costliest request, and are not the steady state being measured). Each user
signs in through the real login with the password and the second factor (the TOTP secret the demo
derived for the account), and posts with the page's CSRF token, as a browser does. The mix:

- officers (35%): the referral form to a diversion (three screens), and status lookups;
- case managers (40%): their caseload, a case page, adding a contact;
- supervisors (15%): the whole caseload sorted by last contact, paged, and the "in the wind" view;
- project managers (10%): the program overview, the equity audit, the evaluation page.

All users come from 127.0.0.1, so the lookup throttle's per-address limit (there for a site where
each officer has an address of their own) is raised for the run (OFFRAMP_LOOKUP_ADDRESS_LIMIT);
the per-user limits and the sign-in limits stay as shipped.

This file is also the locustfile: locust imports it with LOAD_BENCH_ACCOUNTS set.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from html import unescape

ACCOUNTS = os.environ.get("LOAD_BENCH_ACCOUNTS")
SIGN_IN_LIMIT = 600
SPAWN_RATE = 1  # users started a second
ROLE_WEIGHTS = {"officer": 35, "casemanager": 40, "supervisor": 15, "projectmanager": 10}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AT = re.compile(r'name="at" value="([^"]+)"')
SEATTLE_FACTS = {
    "door": "arrest",
    "statute": "RCW 69.50.4013",
    "quantity_grams": "1.2",
    "substance": "heroin",
    "location": "Third and Pine",
    "area": "Downtown",
    "fact_exploits_minors": "no",
    "fact_promotes_prostitution": "no",
    "fact_amenable": "yes",
    "history_violent": "clear",
}


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238, 6 digits, 30 s: what an authenticator app shows."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


if ACCOUNTS:  # imported by locust
    import gevent
    from locust import HttpUser, between, task

    with open(ACCOUNTS) as f:
        SITE = json.load(f)
    NEXT = {role: itertools.count() for role in ROLE_WEIGHTS}
    SIGNED_IN: list[str] = []
    SIGN_IN_REFUSED: list[str] = []
    STARTED = time.monotonic()

    class Staff(HttpUser):
        abstract = True
        role = ""
        wait_time = between(2, 6)  # reading the page, typing

        def on_start(self):
            self.sign_in()
            SIGNED_IN.append(self.account["username"])
            if len(SIGNED_IN) == int(os.environ["LOAD_BENCH_USERS"]):
                # Everyone is in: count from now, for --seconds, then stop.
                self.environment.stats.reset_all()
                with open(os.environ["LOAD_BENCH_SIGNIN"], "w") as f:
                    json.dump({"seconds": time.monotonic() - STARTED, "refused": SIGN_IN_REFUSED}, f)
                gevent.spawn_later(int(os.environ["LOAD_BENCH_SECONDS"]), self.environment.runner.quit)

        def sign_in(self):
            accounts = SITE["accounts"][self.role]
            self.account = accounts[next(NEXT[self.role]) % len(accounts)]
            page = self.client.get("/accounts/login/", name="login").text
            form = {"login": self.account["username"], "password": SITE["password"], "acknowledge": "on"}
            self.post("/accounts/login/", page, form, name="login", allow_redirects=False)
            for attempt in (1, 2):  # a code that expired on its way through a busy server is typed again
                page = self.client.get("/accounts/2fa/authenticate/", name="login").text
                code = totp(self.account["secret"])
                if attempt == 2:
                    time.sleep(30 - time.time() % 30)  # the next code, as a person would wait for it
                    code = totp(self.account["secret"])
                with self.client.post(
                    "/accounts/2fa/authenticate/",
                    {"csrfmiddlewaretoken": self.token(page), "code": code},
                    name="login",
                    allow_redirects=False,
                    catch_response=True,
                ) as response:
                    if response.status_code == 302 and "2fa" not in response.headers.get("Location", ""):
                        return
                    if attempt == 2:
                        response.failure(f"second factor refused for {self.account['username']}")
                        SIGN_IN_REFUSED.append(self.account["username"])
                    else:
                        response.success()  # counted as a retry below, not an error
                        self.environment.events.request.fire(
                            request_type="TOTP",
                            name="login: code typed again",
                            response_time=0,
                            response_length=0,
                            exception=None,
                            context={},
                        )

        @staticmethod
        def token(page: str) -> str:
            found = CSRF.search(page)
            return unescape(found.group(1)) if found else ""

        def page(self, path: str, name: str):
            """GET; a page that sent the user back to sign in or to the second factor counts as an error."""
            with self.client.get(path, name=name, catch_response=True) as response:
                if "/accounts/login/" in response.url or "/accounts/2fa/" in response.url:
                    response.failure("sent back to sign in")
                return response.text

        def post(self, path: str, page: str, form: dict, *, name: str, allow_redirects=True):
            """POST as the browser would: with the page's CSRF token; a page re-shown with errors fails."""
            data = {"csrfmiddlewaretoken": self.token(page), **form}
            with self.client.post(
                path, data, name=name, allow_redirects=allow_redirects, catch_response=True
            ) as response:
                if allow_redirects and (
                    "/accounts/login/" in response.url or "/accounts/2fa/" in response.url
                ):
                    response.failure("sent back to sign in")
                elif response.status_code >= 400:
                    response.failure(f"HTTP {response.status_code}")
                elif response.status_code == 200 and 'class="errorlist' in response.text:
                    response.failure("form re-shown with errors")
                return response

    class Officer(Staff):
        role = "officer"
        weight = ROLE_WEIGHTS["officer"]

        @task(2)
        def refer(self):
            page = self.page("/referrals/new/", "referral: person")
            person = {
                "last_name": f"Bench{uuid.uuid4().hex[:8]}",
                "first_name": "Pat",
                "date_of_birth": f"{random.randint(1960, 1999)}-05-{random.randint(10, 28)}",
                "key": uuid.uuid4().hex,
            }
            page = self.post(
                "/referrals/new/", page, {"step": "person", **person}, name="referral: facts"
            ).text
            incident = {"incident_number": f"26-{random.randint(100000, 999999)}"}
            self.post(
                "/referrals/new/",
                page,
                {"step": "divert", **person, **SEATTLE_FACTS, **incident},
                name="referral: divert",
            )

        @task(3)
        def lookup(self):
            page = self.page("/lookup/", "lookup: form")
            person = random.choice(SITE["lookups"])
            self.post("/lookup/", page, person, name="lookup: answer")

        @task(1)
        def my_referrals(self):
            self.page("/referrals/", "referrals: mine")

    class CaseManager(Staff):
        role = "casemanager"
        weight = ROLE_WEIGHTS["casemanager"]

        def case_id(self):
            return random.choice(self.account["cases"] or SITE["cases"])

        @task(3)
        def caseload(self):
            self.page("/caseload/", "caseload: mine")

        @task(4)
        def case_page(self):
            self.page(f"/cases/{self.case_id()}/", "case page")

        @task(2)
        def contact(self):
            case_id = self.case_id()
            page = self.page(f"/cases/{case_id}/", "case page")
            if not AT.search(page):  # not this manager's open case: nothing to add
                return
            form = {
                "kind": "phone",
                "successful": "yes",
                "at": AT.search(page).group(1),  # now, to the minute, in the program's zone
                "duration_minutes": "15",
                "note": "Checked in by phone; talked about the housing appointment.",
            }
            self.post(f"/cases/{case_id}/contacts", page, form, name="case: add contact")

    class Supervisor(Staff):
        role = "supervisor"
        weight = ROLE_WEIGHTS["supervisor"]

        @task(3)
        def sorted_caseload(self):
            self.page("/caseload/?sort=last_contact", "caseload: by last contact")

        @task(2)
        def paging(self):
            self.page(f"/caseload/?sort=last_contact&page={random.randint(2, 6)}", "caseload: page n")

        @task(1)
        def in_the_wind(self):
            self.page("/caseload/?flag=wind", "caseload: in the wind")

        @task(2)
        def case_page(self):
            self.page(f"/cases/{random.choice(SITE['cases'])}/", "case page (supervisor)")

    class ProjectManager(Staff):
        role = "projectmanager"
        weight = ROLE_WEIGHTS["projectmanager"]

        @task(3)
        def overview(self):
            self.page("/program/", "program overview")

        @task(2)
        def equity(self):
            self.page(f"/screening/{SITE['screening_run']}/equity/", "equity audit")

        @task(1)
        def evaluation(self):
            self.page("/evaluation/", "evaluation")


# ---- the driver: prepare the site, start servers, run locust, print the table ----

SETUP = r"""
import json
from django.contrib.auth import get_user_model
from offramp.access.scope import trusted
from offramp.accounts.mfa import demo_totp_enrol, demo_totp_secret
from offramp.cases.models import Case
from offramp.demo.logins import demo_password
from offramp.people.models import Person
from offramp.programs.models import Membership, Program
from offramp.programs.roles import Role
from offramp.referrals.models import ScreeningRun

User = get_user_model()
program = Program.objects.get(slug="demo")
password = demo_password()
hashed = User.objects.get(username="supervisor").password  # the demo password, hashed once
need = {int(n) for n in "{need}".split(",")}
roles = {
    "officer": Role.OFFICER, "casemanager": Role.CASE_MANAGER,
    "supervisor": Role.CASE_SUPERVISOR, "projectmanager": Role.PROJECT_MANAGER,
}
accounts = {}
for key, role in roles.items():
    members = Membership.objects.filter(program=program, role=role).select_related("user")
    members = list(members.order_by("pk"))
    template = members[0]
    for i in range(len(members), max(need)):
        user = User.objects.create(username=f"bench-{key}{i}", email=f"bench-{key}{i}@example.org")
        members.append(
            Membership.objects.create(user=user, program=program, role=role, agency=template.agency)
        )
    users = [m.user for m in members]
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=hashed)
    accounts[key] = []
    with trusted("load bench"):
        for user in users:
            demo_totp_enrol(user)
            mine = Case.objects.filter(case_manager=user).exclude(status="exited")
            cases = list(mine.values_list("pk", flat=True)[:50])
            secret = demo_totp_secret(user.username)
            accounts[key].append({"username": user.username, "secret": secret, "cases": cases})
with trusted("load bench"):
    cases = Case.objects.filter(program=program).exclude(status="exited")
    cases = list(cases.values_list("pk", flat=True)[:500])
    people = Person.objects.filter(program=program).exclude(date_of_birth=None)[:200]
    lookups = [
        {
            "last_name": p.legal_last_name,
            "first_name": p.legal_first_name,
            "date_of_birth": p.date_of_birth.isoformat(),
        }
        for p in people
    ]
    run = ScreeningRun.objects.filter(program=program).order_by("-pk").first()
site = {"password": password, "accounts": accounts, "cases": cases, "lookups": lookups}
print(json.dumps({**site, "screening_run": run.pk}))
"""


def _offramp(*args, env, capture=True):
    import subprocess
    import sys

    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "offramp.cli", *args], env=env, capture_output=capture, text=True, check=True
    )


def _fresh_postgres(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process, timeout: float = 180) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"offramp serve exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError("offramp serve did not listen")


def _import_file(env, folder: str, rows: int) -> tuple[str, str]:
    """A people file of `rows` rows and its mapping, for the import that runs beside a round."""
    code = "from offramp.analysis.synthetic import PEOPLE_MAPPING; print(PEOPLE_MAPPING, end='')"
    mapping_text = _offramp("shell", "--no-imports", "-c", code, env=env).stdout
    people, mapping = os.path.join(folder, "import-people.csv"), os.path.join(folder, "import-people.toml")
    with open(people, "w") as out:
        out.write(
            "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
            "left_observation,months_in_program,offramp_id\n"
        )
        for i in range(rows):
            out.write(f"L{i},BAU,Ana,Lopez,1980-05-17,female,White,area_1,theft,2012-03-01,,0,\n")
    with open(mapping, "w") as out:
        out.write(mapping_text)
    return people, mapping


def _imports_beside(env, files, signed_in: str, stop) -> dict:
    """Once `signed_in` exists (every user is in), run the import again and again until `stop` is set:
    how many loaded, how many failed, and the last failure's message."""
    import subprocess
    import sys

    while not os.path.exists(signed_in) and not stop.is_set():
        time.sleep(0.2)
    done = {"loaded": 0, "failed": 0, "error": ""}
    people, mapping = files
    command = [sys.executable, "-m", "offramp.cli", "import_records", people, "--mapping", mapping]
    while not stop.is_set():
        result = subprocess.run([*command, "--program", "demo"], env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode == 0:
            done["loaded"] += 1
        else:
            done["failed"] += 1
            done["error"] = result.stderr.strip().splitlines()[-1:] or ""
    return done


def _round(env, folder, *, processes: int, users: int, seconds: int, import_files=None):
    """One server with `processes` processes, `users` simulated staff for `seconds`: the stats rows,
    the sign-in record, and what the import beside it did (None without one)."""
    import csv
    import subprocess
    import sys
    import threading

    port = _free_port()
    log = open(os.path.join(folder, f"serve-{processes}-{users}.log"), "wb")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "offramp.cli", "serve", "--port", str(port), "--processes", str(processes)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    stop, beside, imported = threading.Event(), None, {}
    try:
        _wait_for(port, server)
        prefix = os.path.join(folder, f"stats-{processes}-{users}")
        if import_files is not None:
            signed_in = f"{prefix}_signin.json"
            if os.path.exists(signed_in):
                os.remove(signed_in)
            beside = threading.Thread(
                target=lambda: imported.update(_imports_beside(env, import_files, signed_in, stop))
            )
            beside.start()
        spawn_rate = SPAWN_RATE  # people arriving at work, not all in one second
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                __file__,
                "--headless",
                "--only-summary",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "-t",
                f"{seconds + SIGN_IN_LIMIT}s",  # stopped --seconds after the last sign-in, or by this
                "--csv",
                prefix,
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            env={
                **env,
                "LOAD_BENCH_ACCOUNTS": os.path.join(folder, "site.json"),
                "LOAD_BENCH_USERS": str(users),
                "LOAD_BENCH_SECONDS": str(seconds),
                "LOAD_BENCH_SIGNIN": f"{prefix}_signin.json",
            },
            check=False,
            capture_output=True,
        )
        stop.set()
        if beside is not None:
            beside.join()
        with open(f"{prefix}_stats.csv") as f:
            rows = list(csv.DictReader(f))
        signin = f"{prefix}_signin.json"
        took = json.load(open(signin)) if os.path.exists(signin) else None  # noqa: SIM115
        return rows, took, (imported if beside is not None else None)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _table(rows: list[dict], *, processes: int, users: int) -> str:
    lines = [
        f"\n{processes} process(es), {users} users",
        f"{'page':<33} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>9} {'errors':>7}",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        if row["Request Count"] == "0":  # sign-ins, all done before the counting began
            continue
        name = "all pages" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"{name:<33} {float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} "
            f"{row['Request Count']:>9} {row['Failure Count']:>7}"
        )
    return "\n".join(lines)


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (dropped and made anew)")
    parser.add_argument("--users", default="20,100")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seconds", type=int, default=60, help="Measured time per round, after sign-in")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--prepared", default="", help="The data folder of an earlier run (its database too)")
    parser.add_argument(
        "--during-import", type=int, default=0, metavar="ROWS", help="Import a ROWS-row file in each round"
    )
    args = parser.parse_args()
    users = [int(u) for u in args.users.split(",")]
    processes = [int(p) for p in args.processes.split(",")]
    folder = args.prepared or tempfile.mkdtemp(prefix="offramp-load-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFRAMP_")}
    env.update(
        OFFRAMP_MODE="demo",
        OFFRAMP_DEBUG="false",
        OFFRAMP_DATA_DIR=folder,
        OFFRAMP_LOOKUP_ADDRESS_LIMIT="1000000",  # every simulated officer is at 127.0.0.1
    )
    if args.database_url:
        env["OFFRAMP_DATABASE_URL"] = args.database_url
    started = time.perf_counter()
    if not args.prepared:
        if args.database_url:
            _fresh_postgres(args.database_url)
        _offramp("demo", "--no-serve", "--people", str(args.people), env=env)
        need = ",".join(str(max(2, int(u * w / 100) + 1)) for u in users for w in ROLE_WEIGHTS.values())
        site = _offramp("shell", "-c", SETUP.replace("{need}", need), env=env).stdout.strip().splitlines()[-1]
        with open(os.path.join(folder, "site.json"), "w") as f:
            f.write(site)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    prepared = "prepared earlier" if args.prepared else f"{args.people:,} people, prepared in"
    took = "" if args.prepared else f" {time.perf_counter() - started:.0f} s"
    print(f"{engine}, {prepared}{took}; data in {folder}")
    files = _import_file(env, folder, args.during_import) if args.during_import else None
    for n in users:
        for p in processes:
            rows, took, imported = _round(
                env, folder, processes=p, users=n, seconds=args.seconds, import_files=files
            )
            print(_table(rows, processes=p, users=n), flush=True)
            if imported is not None:
                print(
                    f"(during the round: {imported.get('loaded', 0)} imports of {args.during_import:,} rows "
                    f"loaded, {imported.get('failed', 0)} failed {imported.get('error', '')})"
                )
            print(
                f"(all {n} signed in after {took['seconds']:.0f} s, {len(took['refused'])} second factors "
                f"refused; then measured for {args.seconds} s)"
                if took is not None
                else f"(not all {n} signed in within {SIGN_IN_LIMIT} s: the figures include sign-ins)"
            )


if __name__ == "__main__" and not ACCOUNTS:
    main()
