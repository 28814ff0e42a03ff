"""Running programs: a program's own settings (checked against the one table, saved, audited before
and after), the switch between programs, and the host administrator's new program with its first
project manager."""

import zoneinfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.accounts.actions import account_problems
from offramp.programs import configuration
from offramp.programs.models import Membership, Program
from offramp.programs.roles import Role
from offramp.sites.queries import require_host

ERR_NOT_A_MEMBER = "You hold no role in that program."


def program_settings_change(*, actor: Actor, texts: dict[str, str]) -> dict[str, dict]:
    """Set the program's settings from the page's text, one entry per key of the table (a key left
    out keeps its value; blank returns it to the default). Every field is checked before anything is
    saved: a ValidationError maps each refused key (or "__all__") to its messages, and nothing changes.

    Returns {key: {"before": ..., "after": ...}} for the settings that changed (audited as one entry).
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    parsed, errors = {}, {}
    for key, text in texts.items():
        setting = configuration.SETTINGS.get(key)
        if setting is None or not setting.on_page:
            continue  # not a setting the page changes
        try:
            parsed[key] = setting.parse(text)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=actor.program_id)
        stored = dict(program.configuration or {})
        after = {**stored, **parsed}
        after = {key: value for key, value in after.items() if value is not None}
        effective = {key: after.get(key, configuration.default(key)) for key in configuration.SETTINGS}
        try:
            configuration.check_together(effective)
        except ValidationError as exc:
            raise ValidationError({"__all__": exc.messages}) from None
        changes = {
            key: {"before": stored.get(key), "after": after.get(key)}
            for key in parsed
            if stored.get(key) != after.get(key)
        }
        if changes:
            program.configuration = after
            program.save(update_fields=["configuration"])
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                object_type="Program",
                object_id=program.pk,
                detail={"settings": changes},
            )
            actor.program.configuration = after  # the rest of this request reads the new values
    return changes


def program_switch(*, actor: Actor, program_id: int) -> Program:
    """The program the actor works in from now on (the caller keeps the choice in the session).

    Only a program where the user holds an active role; the switch is audited in both programs."""
    chosen = next((p for p in actor.programs if str(p.pk) == str(program_id)), None)
    if chosen is None:
        raise ValidationError(ERR_NOT_A_MEMBER)
    if chosen.pk != actor.program_id:
        detail = {"from": actor.program_id, "to": chosen.pk}
        for program in (actor.program, chosen):
            audit_record(
                actor=actor,
                action=Action.PROGRAM_SWITCH,
                object_type="Program",
                object_id=chosen.pk,
                detail=detail,
                program=program,
            )
    return chosen


ERR_SLUG = "Short name: letters, digits and hyphens only, e.g. king-county."
ERR_SLUG_TAKEN = "Short name: another program already uses {slug!r}."
ERR_NAME = "Program name: enter the program's name."
ERR_NAME_TAKEN = "Program name: another program is already called {name!r}."
ERR_TIME_ZONE = "Time zone: {value!r} is not a time zone name such as America/Los_Angeles."


@transaction.atomic
def program_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    jurisdiction: str,
    time_zone: str,
    manager_username: str,
    manager_email: str,
    manager_first_name: str,
    manager_last_name: str,
    manager_password: str,
) -> tuple[Program, object]:
    """A new program with its first project manager, who replaces the password at first sign-in.

    Every field is checked first and every problem named; nothing is created unless all pass."""
    require_host(actor)
    User = get_user_model()
    name, slug, username, email = (
        name.strip(),
        slug.strip().lower(),
        manager_username.strip(),
        manager_email.strip(),
    )
    errors = []
    if not name:
        errors.append(ERR_NAME)
    elif Program.objects.filter(name__iexact=name).exists():
        errors.append(ERR_NAME_TAKEN.format(name=name))
    if not slug or slugify(slug) != slug:
        errors.append(ERR_SLUG)
    elif Program.objects.filter(slug=slug).exists():
        errors.append(ERR_SLUG_TAKEN.format(slug=slug))
    if time_zone not in zoneinfo.available_timezones():
        errors.append(ERR_TIME_ZONE.format(value=time_zone))
    errors += account_problems(
        username=username,
        email=email,
        password=manager_password,
        first_name=manager_first_name,
        last_name=manager_last_name,
    )
    if errors:
        raise ValidationError(errors)
    program = Program.objects.create(
        name=name, slug=slug, jurisdiction=jurisdiction.strip() or name, time_zone=time_zone
    )
    manager = User.objects.create_user(
        username=username,
        email=email,
        password=manager_password,
        first_name=manager_first_name.strip(),
        last_name=manager_last_name.strip(),
        must_change_password=True,
    )
    Membership.objects.create(user=manager, program=program, role=Role.PROJECT_MANAGER)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Program",
        object_id=program.pk,
        detail={"slug": slug, "time_zone": time_zone},
        program=program,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="User",
        object_id=manager.pk,
        detail={"role": Role.PROJECT_MANAGER},
        program=program,
    )
    return program, manager
