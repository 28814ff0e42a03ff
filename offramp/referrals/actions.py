"""Changes to referrals and protocol versions. Each is one transaction, audited."""

import datetime as dt

import polars as pl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases.actions import case_open, case_team_scope
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.people.models import Person
from offramp.programs.models import Membership
from offramp.referrals import eligibility, names, screening
from offramp.referrals.models import ProtocolVersion, Referral, ScreenedArrest, ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR, ProtocolError, parse_toml
from offramp.referrals.referral_facts import ReferralDraft, facts_record, reasons_record, to_facts

ERR_VERSION_NOT_NEWER = "Version {version} is not newer than the published version {latest}."
ERR_NO_PROTOCOL = "This program has no published eligibility protocol yet; ask the project manager."
ERR_INELIGIBLE = "Not eligible under the protocol: this referral cannot be diverted."
ERR_OFFICER_MUST_ANSWER = "Answer the questions marked for the officer before diverting."
ERR_INCIDENT_NUMBER = "An arrest diversion needs the incident number."
ERR_KEY_IN_USE = "This form was already used for another referral; start a new referral."
ERR_FILE_ENCODING = "The file is not UTF-8 text."
ERR_NO_VERSION = "This program has no protocol version {version}."
ERR_NO_HANDOFF = "No warm hand-off was requested for this referral."
HANDOFF_TARGET = dt.timedelta(minutes=30)


# ---- protocol versions ---------------------------------------------------------------------


def protocol_publish(*, actor: Actor, text: str, now: dt.datetime | None = None) -> ProtocolVersion:
    """Validate a protocol file and publish it as the program's newest version. Bad files change nothing."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    try:
        protocol = parse_toml(text)
    except ProtocolError as exc:
        raise ValidationError(exc.errors) from None
    with transaction.atomic():
        latest = ProtocolVersion.objects.filter(program_id=actor.program_id).order_by("-version").first()
        if latest is not None and protocol.version <= latest.version:
            raise ValidationError(
                ERR_VERSION_NOT_NEWER.format(version=protocol.version, latest=latest.version)
            )
        version = ProtocolVersion.objects.create(
            program_id=actor.program_id, version=protocol.version, label=protocol.label, text=text,
            published_at=now or timezone.now(), published_by=actor.user if actor.user_id else None,
        )  # fmt: skip
        audit_record(
            actor=actor, action=Action.CREATE, object_type="ProtocolVersion", object_id=version.pk,
            detail={"version": protocol.version, "label": protocol.label},
        )  # fmt: skip
    return version


def protocol_current(program_id: int) -> ProtocolVersion | None:
    """The newest published version (configuration: readable by anyone acting in the program)."""
    return ProtocolVersion.objects.filter(program_id=program_id).order_by("-version").first()


# ---- the officer's referral ----------------------------------------------------------------


def referral_divert(
    *, actor: Actor, draft: ReferralDraft, idempotency_key: str, now: dt.datetime | None = None
) -> Referral:
    """Divert: decide under the current protocol, then record the referral, the person, the case and the
    warm hand-off, in one transaction.

    A resubmission with the same idempotency key (a double tap, a retry on bad signal) returns the
    referral the first submission made and changes nothing.
    """
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    now = now or timezone.now()
    try:
        with transaction.atomic(), trusted("referrals.referral_divert"):
            existing = _by_key(actor, idempotency_key)
            if existing is not None:
                return existing
            return _divert(actor, draft, idempotency_key, now)
    except IntegrityError:
        # Two submissions raced past the check; the unique constraint let one through.
        with trusted("referrals.referral_divert"):
            existing = _by_key(actor, idempotency_key)
        if existing is None:
            raise
        return existing


def _by_key(actor: Actor, key: str) -> Referral | None:
    if not key:
        return None
    existing = Referral.objects.filter(program_id=actor.program_id, idempotency_key=key).first()
    if existing is not None and existing.referring_officer_id != actor.user_id:
        raise ValidationError(ERR_KEY_IN_USE)
    return existing


def _divert(actor: Actor, draft: ReferralDraft, key: str, now: dt.datetime) -> Referral:
    version = protocol_current(actor.program_id)
    if version is None:
        raise ValidationError(ERR_NO_PROTOCOL)
    protocol = version.protocol
    if draft.door == "arrest" and not draft.incident_number.strip():
        raise ValidationError(ERR_INCIDENT_NUMBER)
    today = timezone.localdate(now, timezone=actor.program.zone)
    facts = to_facts(protocol, draft, today)
    decision = eligibility.decide(protocol, facts)
    if decision.outcome == eligibility.INELIGIBLE:
        raise ValidationError(ERR_INELIGIBLE)
    if decision.outcome == eligibility.NEEDS_REVIEW and decision.review_by == "officer":
        raise ValidationError(ERR_OFFICER_MUST_ANSWER)

    person = _matching_person(actor, draft) or _person_create(actor, draft)
    manager = on_call_case_manager(actor.program)
    offence = next(o for o in protocol.offences if o.statute == draft.statute)
    referral = Referral.objects.create(
        program_id=actor.program_id, person=person, door=draft.door, referred_at=now,
        location=draft.location, area=draft.area, referring_officer=actor.user if actor.user_id else None,
        offence_statute=offence.statute, offence_nibrs=offence.nibrs, offence_description=offence.label,
        incident_number=draft.incident_number.strip(), protocol_version=version, decision=decision.outcome,
        decision_review_by=decision.review_by or "", decision_reasons=reasons_record(decision),
        decision_missing=list(decision.missing), decision_facts=facts_record(facts, draft),
        handoff_requested_at=now, handoff_to=manager, idempotency_key=key,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, object_type="Referral", object_id=referral.pk,
        detail={"door": draft.door, "decision": decision.outcome, "protocol_version": version.version},
    )  # fmt: skip
    # The window runs from the referral for arrest diversions (the charge waits on it).
    due = today + dt.timedelta(days=protocol.intake_window_days) if draft.door == "arrest" else None
    case_open(actor=actor, person=person, referral=referral, case_manager=manager, intake_due=due, now=now)
    if manager is not None:
        notification_send(
            actor=actor, recipient=manager, kind=Notification.Kind.HANDOFF,
            title=f"Warm hand-off: {person.display_name}, referred by {_who(actor)}",
            body=_handoff_body(referral, due),
            email_body=f"A warm hand-off was requested at {now.astimezone(actor.program.zone):%H:%M}"
            + (f" at {draft.location}" if draft.location else "")
            + ". Please go now (target: within 30 minutes). Details are in offramp.",
            url=reverse("referrals:arrival", args=[referral.pk]), key=f"handoff:{referral.pk}", now=now,
        )  # fmt: skip
    return referral


def handoff_referrals(actor: Actor):
    """The referrals whose hand-off this actor may see and record (callers are inside trusted()):
    a case manager's own (the hand-off came to them, or the case is on their caseload), a
    supervisor's anywhere in the program; anyone else none (404)."""
    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    referrals = Referral.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        caseload = Case.objects.filter(program_id=actor.program_id, case_manager_id=actor.user_id)
        referrals = referrals.filter(
            Q(handoff_to_id=actor.user_id) | Q(pk__in=caseload.values("referral_id"))
        )
    return referrals


def handoff_minutes(referral: Referral) -> int | None:
    """Whole minutes from the hand-off request to the case manager's arrival (never below 0)."""
    if referral.handoff_requested_at is None or referral.handoff_arrived_at is None:
        return None
    return max(0, int((referral.handoff_arrived_at - referral.handoff_requested_at).total_seconds() // 60))


def referral_handoff_arrive(*, actor: Actor, referral_id: int, now: dt.datetime | None = None) -> Referral:
    """The case manager is with the person: record the time against the 30-minute target.

    The first record stands: a second press (a double tap, a retry) returns the referral unchanged."""
    now = now or timezone.now()
    with transaction.atomic(), trusted("referrals.referral_handoff_arrive"):
        referral = handoff_referrals(actor).select_for_update(of=("self",)).filter(pk=referral_id).first()
        if referral is None:
            raise Http404("Not found")
        if referral.handoff_requested_at is None:
            raise ValidationError(ERR_NO_HANDOFF)
        if referral.handoff_arrived_at is not None:
            return referral
        referral.handoff_arrived_at = now
        referral.handoff_arrived_by = actor.user if actor.user_id else None
        referral.save(update_fields=["handoff_arrived_at", "handoff_arrived_by"])
        minutes = handoff_minutes(referral)
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Referral", object_id=referral.pk,
            detail={"handoff_arrived_at": now.isoformat(), "minutes": minutes,
                    "within_target": minutes * 60 <= HANDOFF_TARGET.total_seconds()},
        )  # fmt: skip
    return referral


def _who(actor: Actor) -> str:
    user = actor.user
    return (user.get_full_name() or user.get_username()) if user is not None else actor.label


def _handoff_body(referral: Referral, due: dt.date | None) -> str:
    lines = [
        f"Door: {referral.get_door_display()}",
        f"Offence: {referral.offence_description} ({referral.offence_statute})",
        f"Where: {referral.location or 'not given'}" + (f", {referral.area}" if referral.area else ""),
    ]
    if referral.incident_number:
        lines.append(f"Incident number: {referral.incident_number}")
    if due is not None:
        lines.append(f"Intake due by: {due:%b %-d, %Y}")
    return "\n".join(lines)


def _matching_person(actor: Actor, draft: ReferralDraft) -> Person | None:
    """The best tolerant name match among people with this exact date of birth, if close enough."""
    best, best_score = None, names.MATCH_THRESHOLD
    for person, known in candidates(actor, draft.date_of_birth):
        score = names.name_score(draft.first_name, draft.last_name, known)
        if score >= best_score:
            best, best_score = person, score
    return best


def candidates(actor: Actor, date_of_birth: dt.date) -> list[tuple[Person, list[tuple[str, str]]]]:
    """People in the program born on this day, each with every (first, last) name they are known by.

    Callers are inside trusted(): the officer's lookup (queries) and the divert action.
    """
    people = list(
        Person.objects.filter(program_id=actor.program_id, date_of_birth=date_of_birth).prefetch_related(
            "aliases"
        )
    )
    result = []
    for p in people:
        known = [(p.legal_first_name, p.legal_last_name)]
        if p.preferred_name:
            known.append((p.preferred_name, p.legal_last_name))
        known += [(a.first_name, a.last_name) for a in p.aliases.all()]  # a street name may stand alone
        result.append((p, known))
    return result


def _person_create(actor: Actor, draft: ReferralDraft) -> Person:
    person = Person.objects.create(
        program_id=actor.program_id, legal_first_name=draft.first_name.strip(),
        legal_last_name=draft.last_name.strip(), date_of_birth=draft.date_of_birth,
        created_by=actor.user if actor.user_id else None,
    )  # fmt: skip
    audit_record(actor=actor, action=Action.CREATE, object_type="Person", object_id=person.pk)
    return person


def on_call_case_manager(program):
    """Who takes a new hand-off: the program's named on-call case manager (configuration key
    `on_call_case_manager`, a username) while they hold the role, else the active case manager
    with the fewest open cases."""
    members = Membership.objects.filter(
        program=program, role=Role.CASE_MANAGER, is_active=True
    ).select_related("user")
    on_call = (program.configuration or {}).get("on_call_case_manager")
    if on_call:
        named = next((m.user for m in members if m.user.get_username() == on_call and m.user.is_active), None)
        if named is not None:
            return named
    users = [m.user for m in members if m.user.is_active]
    if not users:
        return None
    open_cases = dict(
        Case.objects.filter(program=program, status__in=OPEN_STATUSES, case_manager__in=users)
        .values_list("case_manager")
        .annotate(n=Count("id", filter=Q(status__in=OPEN_STATUSES)))
        .order_by()
    )
    return min(users, key=lambda u: (open_cases.get(u.pk, 0), u.pk))


def protocol_publish_example(*, program, name: str = "seattle") -> ProtocolVersion:
    """Publish one of the shipped example protocols for a new program (demo and first setup)."""
    text = (EXAMPLES_DIR / f"{name}.toml").read_text(encoding="utf-8")
    return protocol_publish(actor=Actor.system("protocol-example", program=program), text=text)


# ---- batch screening -----------------------------------------------------------------------

STORE_BATCH = 5000


def screening_run_create(
    *, actor: Actor, source, file_name: str, mapping_text: str, version: int | None = None, progress=None
) -> tuple[ScreeningRun, pl.DataFrame]:
    """Screen a records-system export of arrests against a protocol version (default: the current one)
    and store the run with one result per arrest.

    The file loads whole or not at all: any malformed row raises ValidationError naming every
    problem by line and field, before anything is written. `progress(done, total, message)` is
    called as rows are stored. Returns the run and the screened frame (for a results file).
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    versions = ProtocolVersion.objects.filter(program_id=actor.program_id)
    found = versions.filter(version=version).first() if version is not None else versions.first()
    if found is None:
        raise ValidationError(
            ERR_NO_VERSION.format(version=version) if version is not None else ERR_NO_PROTOCOL
        )
    try:
        mapping = screening.load_mapping(mapping_text)
        frame = screening.read_arrests(source, mapping)
    except screening.ScreeningFileError as exc:
        raise ValidationError(exc.errors) from None
    try:
        shifts = screening.parse_shifts((actor.program.configuration or {}).get("shifts"))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    report = progress or (lambda done, total, message: None)
    total = frame.height
    report(0, total, f"Read {total:,} arrests; screening")
    frame = screening.screen(frame, found.protocol)
    with transaction.atomic(), trusted("referrals.screening_run_create"):
        referrals = dict(
            Referral.objects.filter(program_id=actor.program_id, door="arrest")
            .exclude(incident_number="")
            .order_by("referred_at", "id")  # the latest referral wins a shared incident number
            .values_list("incident_number", "id")
        )
        frame = screening.groups(
            screening.match_referrals(frame, {k.strip().upper(): v for k, v in referrals.items()}), shifts
        )
        counts = frame.select(
            eligible=pl.col("eligible").sum(),
            diverted=(pl.col("eligible") & pl.col("diverted")).sum(),
            diverted_ineligible=(~pl.col("eligible") & pl.col("diverted")).sum(),
        ).row(0, named=True)
        run = ScreeningRun.objects.create(
            program_id=actor.program_id, protocol_version=found, file_name=file_name[:255], rows=total,
            eligible=counts["eligible"], diverted=counts["diverted"],
            missed=counts["eligible"] - counts["diverted"], diverted_ineligible=counts["diverted_ineligible"],
            created_by=actor.user if actor.user_id else None,
        )  # fmt: skip
        _store_arrests(run, frame, report)
        audit_record(
            actor=actor, action=Action.CREATE, object_type="ScreeningRun", object_id=run.pk,
            detail={"file": run.file_name, "protocol_version": found.version, "rows": total,
                    "eligible": run.eligible, "diverted": run.diverted, "missed": run.missed},
        )  # fmt: skip
    return run, frame


def screening_enqueue(*, actor: Actor, upload, mapping_text: str, version: int):
    """Keep an uploaded export where the worker can read it and queue its screening; returns the job.

    The mapping is checked now, so a wrong mapping is refused on the form; the rows are checked by
    the task (a large file takes a while), which deletes the upload when done.
    """
    import uuid

    from django.conf import settings

    from offramp.jobs.progress import job_start
    from offramp.referrals.tasks import screening_task

    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    if not ProtocolVersion.objects.filter(program_id=actor.program_id, version=version).exists():
        raise ValidationError(ERR_NO_VERSION.format(version=version))
    try:
        screening.load_mapping(mapping_text)
    except screening.ScreeningFileError as exc:
        raise ValidationError(exc.errors) from None
    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"screening-{uuid.uuid4().hex}.csv"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)  # arrest records: readable by the service account only
    with transaction.atomic():
        job = job_start(
            screening_task, title=f"Screening {upload.name}", actor=actor,
            kwargs={"program_id": actor.program_id, "user_id": actor.user_id, "path": str(path),
                    "file_name": upload.name, "mapping_text": mapping_text, "version": version},
        )  # fmt: skip
        audit_record(
            actor=actor, action=Action.CREATE, object_type="JobProgress", object_id=job.pk,
            detail={"task": "screening", "file": upload.name, "protocol_version": version},
        )  # fmt: skip
    return job


# ScreenedArrest field -> (frame column, longest stored text or None). The frame has every column
# `screening.groups` fills; offence_description only when the mapping names it.
_STORED = {
    "line": ("line", None), "incident_number": ("incident_number", None), "statute": ("statute", None),
    "offence": ("offence_description", 200), "outcome": ("outcome", None), "eligible": ("eligible", None),
    "reason": ("reason", 300), "diverted": ("diverted", None), "referral": ("referral_id", None),
    "officer": ("officer", 100), "unit": ("unit", 64), "shift": ("shift", 32), "area": ("area", 64),
    "race": ("race", 64), "ethnicity": ("ethnicity", 64), "sex": ("sex", 32),
    "age_group": ("age_group", None),
}  # fmt: skip


def _store_arrests(run: ScreeningRun, frame: pl.DataFrame, report) -> None:
    """One ScreenedArrest row per arrest, inserted with executemany straight from the frame.

    Building 100,000 model instances for bulk_create cost most of a run's time; the rows here are
    plain values the frame has already checked, so they go in as parameters of one INSERT statement,
    in batches (progress is reported per batch). The caller holds the transaction and trusted()."""
    meta = ScreenedArrest._meta
    names = ["program", "run", *_STORED]
    values = [pl.lit(run.program_id).alias("program"), pl.lit(run.pk).alias("run")]
    for name, (source, longest) in _STORED.items():
        col = pl.col(source) if source in frame.columns else pl.lit("")
        if longest is not None:
            col = col.fill_null("").str.slice(0, longest)
        values.append(col.alias(name))
    rows = frame.select(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(n).column) for n in names)
    # Names from the model's own metadata, values as parameters: nothing from the file is in the SQL.
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608
    total = rows.height
    with connection.cursor() as cursor:
        for start in range(0, total, STORE_BATCH):
            cursor.executemany(sql, rows.slice(start, STORE_BATCH).rows())
            done = min(total, start + STORE_BATCH)
            report(done, total, f"Stored {done:,} of {total:,} arrests")
