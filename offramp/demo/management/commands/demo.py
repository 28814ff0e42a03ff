import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from offramp.demo.logins import demo_logins_enable, demo_password
from offramp.directory.synthetic import directory_demo_load
from offramp.jobs.supervisor import Supervised
from offramp.programs.models import Program


class Command(BaseCommand):
    help = "Run a demonstration: a local SQLite site with a synthetic program, a login per role and a worker."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=600, help="Participants in a new demo program")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the demo and print the logins, then exit"
        )

    def handle(self, *args, people, port, no_serve, **options):
        if settings.MODE != "demo":
            raise CommandError("offramp demo runs only in demo mode (unset OFFRAMP_MODE)")
        call_command("migrate", interactive=False, verbosity=0)
        if not Program.objects.filter(slug="demo").exists():
            self.stdout.write(f"Creating a synthetic program of {people:,} people...")
            call_command("seed", people=people, seed=1, program="demo", verbosity=0)
            # Legal-system records, a comparison pool and a study run, so the evaluator sees a report.
            call_command("seed_evaluation", program="demo", seed=1, verbosity=0)
            # An invented local service directory (HSDS) for the case managers' service search.
            directory_demo_load(Program.objects.get(slug="demo"))
        # The case manager login on call, a workgroup meeting, a screening run with its equity audit.
        from offramp.demo.day import demo_day_seed

        demo_day_seed(Program.objects.get(slug="demo"))
        password = demo_password()
        logins = demo_logins_enable(password)
        self.stdout.write(f"\nData folder: {settings.DATA_DIR}")
        self.stdout.write(
            f"Open http://127.0.0.1:{port}/ and sign in as any of these (password: {password}):"
        )
        for role, username in logins:
            self.stdout.write(f"  {role:<24} {username}")
        self.stdout.write(
            "Each login has an authenticator already: the second-factor page shows its current code on this "
            "demo site,\nor run `offramp demo-code USERNAME` in another terminal."
        )
        if no_serve:
            return
        # The worker runs beside the server and is started again if it dies.
        worker = Supervised(
            [sys.executable, "-m", "offramp.cli", "worker", "--verbosity", "0"], name="worker"
        )
        worker.start()
        try:
            # One waitress process: gunicorn's master reaps every child, the supervised worker's too.
            call_command("serve", port=port, server="waitress")
        finally:
            worker.stop()
