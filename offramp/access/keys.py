"""Re-sealing encrypted fields under the newest key, in small batches, while the site runs."""

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast, Substr

from offramp.access.audit import Action, audit_record
from offramp.access.fieldcrypt import PREFIX, EncryptedTextField, field_keys, key_id_of, open_sealed, seal
from offramp.access.scope import Actor, acting, trusted

BATCH = 500


def _stored(manager: models.Manager[Any] | models.QuerySet[Any], column: str) -> models.QuerySet[Any]:
    """Rows with their value as stored (sealed), not as the field reads it (opened)."""
    return manager.annotate(stored=Cast(column, output_field=models.TextField()))


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def keys_rotate(*, actor: Actor, batch: int = BATCH) -> dict[str, int]:
    """Re-seal every value not under the newest key (and seal any stored in plain text).

    Each batch is its own short transaction, and every key stays readable, so
    readers and writers carry on throughout; a row changed meanwhile is simply
    sealed under the newest key by its writer.
    """
    current = field_keys()[0][0]
    counts: dict[str, int] = {}
    for model, field in encrypted_fields():
        label, column = f"{model._meta.label}.{field.name}", field.attname
        counts[label] = 0
        manager = model._base_manager
        last_pk = 0
        size = min(batch, getattr(field, "rotate_batch", batch))
        while True:
            with acting("access.keys_rotate"):
                rows = list(
                    _stored(manager, column)
                    .filter(pk__gt=last_pk)
                    .exclude(stored="")
                    .order_by("pk")
                    .values_list("pk", "stored")[:size]
                )
                for pk, stored in rows:
                    if key_id_of(stored) == current:
                        continue
                    plain = open_sealed(stored, context=field.crypt_context)
                    sealed = seal(plain, context=field.crypt_context)
                    # Only if unchanged since read: a concurrent writer's newer value wins.
                    unchanged = _stored(manager, column).filter(pk=pk, stored=stored)
                    counts[label] += unchanged.update(**{column: sealed})
            if len(rows) < size:
                break
            last_pk = rows[-1][0]
    audit_record(
        actor=actor,
        action=Action.KEY_ROTATE,
        object_type="FieldKey",
        object_id=current,
        detail={"resealed": counts},
    )
    return counts


def keys_status() -> dict[str, dict[str | None, int]]:
    """How many stored values each key seals, per field (plain text counted under None)."""
    status: dict[str, dict[str | None, int]] = {}
    for model, field in encrypted_fields():
        with trusted("access.keys_status"):
            values = (
                _stored(model._base_manager, field.attname)
                .exclude(stored="")
                .annotate(head=Substr("stored", 1, 40))  # the key id, never a whole file
                .values_list("head", flat=True)
            )
            per_key: dict[str | None, int] = {}
            for stored in values.iterator():
                key_id = key_id_of(stored) if stored.startswith(PREFIX) else None
                per_key[key_id] = per_key.get(key_id, 0) + 1
        status[f"{model._meta.label}.{field.name}"] = per_key
    return status
