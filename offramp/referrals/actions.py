"""Changes to referrals and protocol versions. Each is one transaction, audited."""

import datetime as dt

import polars as pl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, acting, action, trusted
from offramp.cases.actions import case_open
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.files.problems import InvalidFile
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.people.models import Person
from offramp.programs.queries import on_call_now, routable_case_managers
from offramp.referrals import eligibility, matches, screening
from offramp.referrals.models import ProtocolVersion, Referral, ScreenedArrest, ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR, parse_toml
from offramp.referrals.queries import (  # noqa: F401  (ERR_NO_PROTOCOL, protocol_current: callers import them here)
    ERR_NO_PROTOCOL,
    HANDOFF_TARGET,
    handoff_minutes,
    handoff_referrals,
    protocol_current,
    screened_matched,
)
from offramp.referrals.referral_facts import ReferralDraft, facts_record, reasons_record, to_facts

ERR_VERSION_NOT_NEWER = "Version {version} is not newer than the published version {latest}."
ERR_INELIGIBLE = "Not eligible under the protocol: this referral cannot be diverted."
ERR_OFFICER_MUST_ANSWER = "Answer the questions marked for the officer before diverting."
ERR_INCIDENT_NUMBER = "The incident number is needed for an arrest diversion."
ERR_KEY_IN_USE = "This form was already used for another referral; start a new referral."
ERR_FILE_ENCODING = "The file is not UTF-8 text."
ERR_NO_VERSION = "This program has no protocol version {version}."
ERR_NO_HANDOFF = "No warm hand-off was requested for this referral."


# ---- protocol versions ---------------------------------------------------------------------


def protocol_publish(
    *, actor: Actor, text: str, now: dt.datetime | None = None, file_name: str = ""
) -> ProtocolVersion:
    """Validate a protocol file and publish it as the program's newest version. Bad files change nothing.

    `file_name` names the uploaded file in the errors."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    try:
        protocol = parse_toml(text, file=file_name)
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
    with transaction.atomic():
        latest = ProtocolVersion.objects.filter(program_id=actor.program_id).order_by("-version").first()
        if latest is not None and protocol.version <= latest.version:
            raise ValidationError(
                ERR_VERSION_NOT_NEWER.format(version=protocol.version, latest=latest.version)
            )
        version = ProtocolVersion.objects.create(
            program_id=actor.program_id,
            version=protocol.version,
            label=protocol.label,
            text=text,
            published_at=now or timezone.now(),
            published_by=actor.user if actor.user_id else None,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ProtocolVersion",
            object_id=version.pk,
            detail={"version": protocol.version, "label": protocol.label},
        )
    return version


# ---- the officer's referral ----------------------------------------------------------------


def referral_divert(
    *,
    actor: Actor,
    draft: ReferralDraft,
    idempotency_key: str,
    match: str = "",
    now: dt.datetime | None = None,
    referring_agency_id: int | None = None,
) -> Referral:
    """Divert: decide under the current protocol, then record the referral, the person, the case and the
    warm hand-off, in one transaction.

    A resubmission with the same idempotency key (a double tap, a retry on bad signal) returns the
    referral the first submission made and changes nothing. `referring_agency_id` names the agency a
    records-system integration refers for (the API).
    """
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    now = now or timezone.now()
    try:
        with acting("referrals.referral_divert"):
            existing = _by_key(actor, idempotency_key)
            if existing is not None:
                return existing
            return _divert(actor, draft, idempotency_key, match, now, referring_agency_id)
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


def _divert(
    actor: Actor,
    draft: ReferralDraft,
    key: str,
    match: str,
    now: dt.datetime,
    agency_id: int | None = None,
) -> Referral:
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

    person = matches.chosen_person(
        actor,
        first_name=draft.first_name,
        last_name=draft.last_name,
        date_of_birth=draft.date_of_birth,
        key=key,
        choice=match,
    ) or _person_create(actor, draft)
    # Someone with an open case: the referral joins that case's history, and its case manager comes.
    joined = (
        Case.objects.select_for_update(of=("self",))
        .filter(program_id=actor.program_id, person=person, status__in=OPEN_STATUSES)
        .select_related("case_manager")
        .order_by("-opened_at")
        .first()
    )
    manager = (joined.case_manager if joined else None) or on_call_case_manager(actor.program, now)
    offence = next((o for o in protocol.offences if o.statute == draft.statute), None)  # none: community
    referral = Referral.objects.create(
        program_id=actor.program_id,
        person=person,
        door=draft.door,
        referred_at=now,
        location=draft.location,
        area=draft.area,
        referring_officer=actor.user if actor.user_id else None,
        referring_agency_id=agency_id,
        offence_statute=offence.statute if offence else "",
        offence_nibrs=offence.nibrs if offence else "",
        offence_description=offence.label if offence else "",
        referrer_name=draft.referrer_name,
        referrer_agency=draft.referrer_agency,
        referrer_phone=draft.referrer_phone,
        incident_number=draft.incident_number.strip(),
        protocol_version=version,
        decision=decision.outcome,
        decision_review_by=decision.review_by or "",
        decision_reasons=reasons_record(decision),
        decision_missing=list(decision.missing),
        decision_facts=facts_record(facts, draft),
        handoff_requested_at=now,
        handoff_to=manager,
        idempotency_key=key,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Referral",
        object_id=referral.pk,
        detail={
            "door": draft.door,
            "decision": decision.outcome,
            "protocol_version": version.version,
            "joined_case": joined.pk if joined else None,
        },
    )
    # The window runs from the referral for arrest diversions (the charge waits on it): the program's
    # setting when the project manager has set one, else the published protocol's.
    window = actor.program.setting("intake_window_days") or protocol.intake_window_days
    due = today + dt.timedelta(days=int(window)) if draft.door == "arrest" else None
    if joined is None:
        case_open(
            actor=actor, person=person, referral=referral, case_manager=manager, intake_due=due, now=now
        )
    elif joined.intake_due and due:
        due = joined.intake_due  # the open case's deadline stands
    if manager is not None:
        notification_send(
            actor=actor,
            recipient=manager,
            kind=Notification.Kind.HANDOFF,
            title=f"Warm hand-off: {person.display_name}, referred by {_who(actor)}",
            body=_handoff_body(referral, due),
            email_body=f"A warm hand-off was requested at {now.astimezone(actor.program.zone):%H:%M}"
            + (f" at {draft.location}" if draft.location else "")
            + ". Please go now (target: within 30 minutes). Details are in offramp.",
            url=reverse("referrals:arrival", args=[referral.pk]),
            key=f"handoff:{referral.pk}",
            now=now,
        )
    return referral


@action("referrals.referral_handoff_arrive")
def referral_handoff_arrive(*, actor: Actor, referral_id: int, now: dt.datetime | None = None) -> Referral:
    """The case manager is with the person: record the time against the 30-minute target.

    The first record stands: a second press (a double tap, a retry) returns the referral unchanged."""
    now = now or timezone.now()
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
        actor=actor,
        action=Action.UPDATE,
        object_type="Referral",
        object_id=referral.pk,
        detail={
            "handoff_arrived_at": now.isoformat(),
            "minutes": minutes,
            "within_target": minutes * 60 <= HANDOFF_TARGET.total_seconds(),
        },
    )
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


def _person_create(actor: Actor, draft: ReferralDraft) -> Person:
    person = Person.objects.create(
        program_id=actor.program_id,
        legal_first_name=draft.first_name.strip(),
        legal_last_name=draft.last_name.strip(),
        date_of_birth=draft.date_of_birth,
        created_by=actor.user if actor.user_id else None,
    )
    audit_record(actor=actor, action=Action.CREATE, object_type="Person", object_id=person.pk)
    return person


def on_call_case_manager(program, now: dt.datetime | None = None):
    """Who takes a new hand-off: among the case managers the rota has on call now (else its fallbacks),
    the one with the fewest open cases; with no rota, any case manager of the program. Only active
    case managers who can sign in are ever chosen (`can_sign_in`): a hand-off must reach a person."""
    users = routable_case_managers(program.pk)
    if not users:
        return None
    on_call, _fallback = on_call_now(program.pk, (now or timezone.now()).astimezone(program.zone))
    chosen = on_call or sorted(users.values(), key=lambda u: u.pk)
    with trusted("referrals.on_call_case_manager"):  # counts only, nothing about anyone leaves
        open_cases = dict(
            Case.objects.filter(program=program, status__in=OPEN_STATUSES, case_manager__in=chosen)
            .values_list("case_manager")
            .annotate(n=Count("id"))
            .order_by()
        )
    order = {u.pk: i for i, u in enumerate(chosen)}
    # Past the program's hard limit a caseload takes no new hand-off while another has room.
    hard = int(program.setting("caseload_hard_limit"))
    room = [u for u in chosen if open_cases.get(u.pk, 0) < hard] or chosen
    return min(room, key=lambda u: (open_cases.get(u.pk, 0), order[u.pk]))


def protocol_publish_example(*, program, name: str = "seattle") -> ProtocolVersion:
    """Publish one of the shipped example protocols for a new program (demo and first setup)."""
    text = (EXAMPLES_DIR / f"{name}.toml").read_text(encoding="utf-8")
    return protocol_publish(actor=Actor.system("protocol-example", program=program), text=text)


# ---- batch screening -----------------------------------------------------------------------

STORE_BATCH = 5000
SQLITE_STORE_CACHE_KIB = -65536  # PRAGMA cache_size while storing arrests: negative is KiB (64 MiB)


def screening_run_create(
    *,
    actor: Actor,
    source,
    file_name: str,
    mapping_text: str,
    version: int | None = None,
    progress=None,
    mapping_name: str = "",
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
        mapping = screening.load_mapping(mapping_text, file=mapping_name)
        frame = screening.read_arrests(source, mapping, file=file_name)
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
    try:
        shifts = screening.parse_shifts(actor.program.setting("shifts"))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    report = progress or (lambda done, total, message: None)
    total = frame.height
    report(0, total, f"Read {total:,} arrests; screening")
    frame = screening.with_arrest_times(screening.screen(frame, found.protocol), actor.program.time_zone)
    with acting("referrals.screening_run_create"):
        frame, counts = screened_matched(actor, frame, shifts)
        run = ScreeningRun.objects.create(
            program_id=actor.program_id,
            protocol_version=found,
            file_name=file_name[:255],
            rows=total,
            eligible=counts["eligible"],
            diverted=counts["diverted"],
            missed=counts["eligible"] - counts["diverted"],
            diverted_ineligible=counts["diverted_ineligible"],
            created_by=actor.user if actor.user_id else None,
        )
        _store_arrests(run, frame, report)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ScreeningRun",
            object_id=run.pk,
            detail={
                "file": run.file_name,
                "protocol_version": found.version,
                "rows": total,
                "eligible": run.eligible,
                "diverted": run.diverted,
                "missed": run.missed,
            },
        )
    return run, frame


def _sqlite_text(rows: pl.DataFrame) -> list[pl.Expr]:
    """Dates and times as the text Django's SQLite adapters write (`isoformat`), made in polars: the
    adapters, called once per value, cost a fifth of the store."""
    exprs = []
    for name, dtype in rows.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            exprs.append(col.dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            whole = col.dt.strftime("%Y-%m-%d %H:%M:%S")
            exprs.append(
                pl.when(col.dt.microsecond() == 0)
                .then(whole)
                .otherwise(col.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
            )
    return exprs


# ScreenedArrest field -> (frame column, longest stored text or None). The frame has every column
# `screening.groups` fills; offence_description only when the mapping names it.
_STORED = {
    "line": ("line", None),
    "incident_number": ("incident_number", None),
    "incident_date": ("incident_date", None),
    "arrested_at": ("arrested_at", None),
    "statute": ("statute", None),
    "offence": ("offence_description", 200),
    "outcome": ("outcome", None),
    "eligible": ("eligible", None),
    "reason": ("reason", 300),
    "diverted": ("diverted", None),
    "referral": ("referral_id", None),
    "officer": ("officer", 100),
    "unit": ("unit", 64),
    "shift": ("shift", 32),
    "area": ("area", 64),
    "race": ("race", 64),
    "ethnicity": ("ethnicity", 64),
    "sex": ("sex", 32),
    "age_group": ("age_group", None),
}


def _store_arrests(run: ScreeningRun, frame: pl.DataFrame, report) -> None:
    """One ScreenedArrest row per arrest, inserted with executemany straight from the frame.

    Building 100,000 model instances for bulk_create cost most of a run's time; the rows here are
    plain values the frame has already checked, so they go in as parameters of one INSERT statement,
    in batches (progress is reported per batch); on PostgreSQL one COPY. The caller holds the
    transaction and trusted()."""
    meta = ScreenedArrest._meta
    names = ["program", "run", *_STORED]
    values = [pl.lit(run.program_id).alias("program"), pl.lit(run.pk).alias("run")]
    for name, (source, longest) in _STORED.items():
        col = pl.col(source) if source in frame.columns else pl.lit(None if longest is None else "")
        if longest is not None:
            col = col.fill_null("").str.slice(0, longest)
        values.append(col.alias(name))
    rows = frame.select(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(n).column) for n in names)
    table = quote(meta.db_table)
    total = rows.height
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams each batch in one statement; names from the model's metadata only. Progress is
            # reported between COPYs: the connection runs no other statement while one is open.
            for start in range(0, total, STORE_BATCH):
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows.slice(start, STORE_BATCH).iter_rows():
                        copy.write_row(row)
                done = min(total, start + STORE_BATCH)
                report(done, total, f"Stored {done:,} of {total:,} arrests")
            return
        rows = rows.with_columns(_sqlite_text(rows))
        # Values as parameters: nothing from the file is in the SQL.
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608
        # The table's six indexes outgrow SQLite's default 2 MB page cache within a few thousand rows, and
        # every insert then rereads index pages: a larger cache while storing.
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {SQLITE_STORE_CACHE_KIB}")
        try:
            for start in range(0, total, STORE_BATCH):
                cursor.executemany(sql, rows.slice(start, STORE_BATCH).rows())
                done = min(total, start + STORE_BATCH)
                report(done, total, f"Stored {done:,} of {total:,} arrests")
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
