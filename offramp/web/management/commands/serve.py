from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from offramp.ops.serving import waitress_options


class Command(BaseCommand):
    help = (
        "Serve offramp over HTTP with waitress. In production put a TLS proxy in front and set "
        "OFFRAMP_BEHIND_PROXY=true (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="Requests served at once (default 8)")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Production: skip collecting static files at start (when the image or deploy step did it)",
        )

    def handle(self, *args, host, port, threads, no_collectstatic, **options):
        if settings.PRODUCTION and not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Only now: whitenoise indexes the collected files when the application is built.
        from waitress import serve

        from offramp.wsgi import application

        behind = f", behind a proxy at {settings.TRUSTED_PROXY}" if settings.BEHIND_PROXY else ""
        self.stdout.write(f"offramp ({settings.MODE} mode{behind}) on http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        serve(application, **waitress_options(host=host, port=port, threads=threads))
