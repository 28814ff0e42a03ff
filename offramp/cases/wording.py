"""Statuses and exit reasons in the program's own words (the `status_labels` and `exit_reason_labels`
settings, checked for failure words when set); the stored values never change."""

from offramp.cases.models import ExitReason, Status


def status_labels(program) -> dict[str, str]:
    own = program.setting("status_labels") if program is not None else {}
    return {value: own.get(value) or label for value, label in Status.choices}


def exit_reason_labels(program) -> dict[str, str]:
    own = program.setting("exit_reason_labels") if program is not None else {}
    return {value: own.get(value) or label for value, label in ExitReason.choices}
