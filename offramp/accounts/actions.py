"""Changes to staff accounts. Every change is audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from offramp.access.audit import Action, audit_record
from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.programs.models import Membership, Program

USERNAME_TAKEN = "That username is already in use."


@transaction.atomic
def admin_create(
    *, username: str, email: str, password: str, program_slug: str, program_name: str | None = None,
    time_zone: str = "America/Los_Angeles",
):  # fmt: skip
    """A system administrator for a program, creating the program when it is new."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(USERNAME_TAKEN)
    program = Program.objects.filter(slug=program_slug).first()
    if program is None:
        program = Program(
            slug=program_slug, name=program_name or program_slug, jurisdiction=program_name or program_slug,
            time_zone=time_zone,
        )  # fmt: skip
        program.full_clean()
        program.save()
    user = User.objects.create_user(username=username, email=email, password=password)
    Membership.objects.create(user=user, program=program, role=Role.SYSTEM_ADMIN)
    audit_record(
        actor=Actor.system("createadmin", program=program),
        action=Action.CREATE,
        object_type="Membership",
        object_id=user.pk,
        detail={"role": Role.SYSTEM_ADMIN},
    )
    return user
