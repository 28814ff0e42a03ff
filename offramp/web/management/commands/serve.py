from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from offramp.ops.connections import budget_problem, connection_budget
from offramp.ops.serving import (
    GUNICORN,
    SERVERS,
    WAITRESS,
    default_processes,
    default_server,
    gunicorn_options,
    gunicorn_run,
    waitress_options,
)


def _application():
    # Only when called: whitenoise indexes the collected files when the application is built.
    from offramp.wsgi import application

    return application


class Command(BaseCommand):
    help = (
        "Serve offramp over HTTP: gunicorn with one process per core (waitress in one process where "
        "gunicorn does not run). In production put a TLS proxy in front and set "
        "OFFRAMP_BEHIND_PROXY=true (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--server",
            choices=SERVERS,
            default=default_server(),
            help=f"gunicorn (several processes) or waitress (one process); default {default_server()}",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help=f"Server processes (gunicorn only; default one per core: {default_processes()} here)",
        )
        parser.add_argument(
            "--threads", type=int, default=8, help="Requests each process serves at once (default 8)"
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Production: skip collecting static files at start (when the image or deploy step did it)",
        )

    def handle(self, *args, host, port, server, processes, threads, no_collectstatic, **options):
        if threads < 1 or (processes is not None and processes < 1):
            raise CommandError("--processes and --threads must be at least 1")
        if server == WAITRESS and (processes or 1) > 1:
            raise CommandError(
                "waitress serves from one process: use --server gunicorn for --processes above 1"
            )
        processes = processes or (default_processes() if server == GUNICORN else 1)
        problem = budget_problem(
            connection_budget(processes=processes, threads=threads), processes=processes, threads=threads
        )
        connections.close_all()  # nothing open is carried into the forked workers
        if problem:
            raise CommandError(problem)
        if settings.PRODUCTION and not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)

        behind = f", behind a proxy at {settings.TRUSTED_PROXY}" if settings.BEHIND_PROXY else ""
        shape = f"{processes} × {threads} threads" if server == GUNICORN else f"{threads} threads"
        self.stdout.write(
            f"offramp ({settings.MODE} mode{behind}) on http://{host}:{port}/ ({server}, {shape})",
            ending="\n",
        )
        self.stdout.flush()
        if server == GUNICORN:
            gunicorn_run(
                _application, gunicorn_options(host=host, port=port, processes=processes, threads=threads)
            )
        else:
            from waitress import serve

            serve(_application(), **waitress_options(host=host, port=port, threads=threads))
