"""What /healthz reports: can we reach the database, and has a worker beaten recently?"""

import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from offramp.jobs.models import WorkerHeartbeat

OK = "ok"


def health_check(*, now: dt.datetime | None = None) -> dict:
    """{"status": "ok" or "fail", "database": ..., "worker": ..., "worker_last_seen_seconds": n or None}."""
    now = now or timezone.now()
    report = {"status": OK, "database": OK, "worker": OK, "worker_last_seen_seconds": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    except DatabaseError:
        report.update(status="fail", database="unreachable", worker="unknown")
        return report
    if last is None:
        report.update(status="fail", worker="never seen: run `offramp worker`")
        return report
    age = max(0, round((now - last).total_seconds()))
    report["worker_last_seen_seconds"] = age
    if age > settings.WORKER_TIMEOUT_SECONDS:
        report.update(status="fail", worker="silent: no heartbeat within OFFRAMP_WORKER_TIMEOUT_SECONDS")
    return report
