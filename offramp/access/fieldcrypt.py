"""Field-level authenticated encryption (AES-256-GCM) for narrative notes and Part 2 information.

Keys live outside the database: OFFRAMP_FIELD_KEYS (or OFFRAMP_FIELD_KEYS_FILE)
holds `id:base64key` pairs separated by commas, newest first; demo and test
sites generate a key file in the data folder. Each stored value names the key
that sealed it: `enc1:<key id>:<base64 nonce + ciphertext>`. Any listed key
opens a value, the first seals new ones, so `offramp keys rotate` can re-seal
rows while the site runs. The column's name is bound in as associated data, so
a value copied into another column does not open.
"""

import base64
import functools
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from offramp.privatefiles import private_write

PREFIX = "enc1:"
KEY_FILE = "field_keys"


class FieldKeyError(RuntimeError):
    """A stored value names a key this site does not have, or failed authentication."""


def _parse(text: str) -> list[tuple[str, bytes]]:
    keys = []
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        key_id, _, encoded = item.partition(":")
        key = base64.b64decode(encoded, validate=True)
        if not key_id.isalnum() or len(key) != 32:
            raise ImproperlyConfigured("OFFRAMP_FIELD_KEYS: each entry is `id:base64 of 32 random bytes`")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured("OFFRAMP_FIELD_KEYS holds no key")
    return keys


def new_key_entry() -> str:
    return f"k{secrets.token_hex(4)}:{base64.b64encode(os.urandom(32)).decode()}"


def local_key_file() -> Path:
    return settings.DATA_DIR / KEY_FILE


@functools.cache
def field_keys() -> tuple[tuple[str, bytes], ...]:
    """The configured keys, newest (the one that seals) first."""
    configured = settings.FIELD_KEYS
    if configured:
        return tuple(_parse(configured))
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Set OFFRAMP_FIELD_KEYS or OFFRAMP_FIELD_KEYS_FILE: narrative notes are encrypted under keys "
            "kept outside the database (docs/security.md)"
        )
    path = local_key_file()
    if not path.exists():
        private_write(path, new_key_entry() + "\n")
    return tuple(_parse(path.read_text(encoding="utf-8")))


def keys_reload() -> None:
    field_keys.cache_clear()


def seal(plaintext: str, *, context: str) -> str:
    key_id, key = field_keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str | None:
    return stored[len(PREFIX) :].split(":", 1)[0] if stored.startswith(PREFIX) else None


def open_sealed(stored: str, *, context: str) -> str:
    """The plaintext of a stored value; a value stored before encryption is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    key_id, _, payload = stored[len(PREFIX) :].partition(":")
    key = dict(field_keys()).get(key_id)
    if key is None:
        raise FieldKeyError(f"no field key {key_id!r} is configured (OFFRAMP_FIELD_KEYS)")
    raw = base64.b64decode(payload)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
    except InvalidTag:
        raise FieldKeyError(f"a value sealed with key {key_id!r} failed authentication") from None


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField stored sealed with AES-256-GCM; reads give the plaintext. Empty stays empty.

    Sealed values cannot be searched or sorted in SQL: use it only for narrative text.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypt_context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if not value:
            return value
        return open_sealed(value, context=self.crypt_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value or value.startswith(PREFIX):
            return value
        return seal(value, context=self.crypt_context)


class EncryptedBytesField(EncryptedTextField):
    """Bytes (an uploaded file) stored sealed: base64 inside the sealed text, so `offramp keys rotate`
    re-seals them like any other field. Reads give the bytes back; empty stays empty.

    A value is a whole file: keep such a field on its own and defer it where rows are listed.
    """

    rotate_batch = 4  # rows re-sealed per transaction: a value may be megabytes

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        text = super().from_db_value(value, expression, connection)
        return base64.b64decode(text) if text else b""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, memoryview):
            return bytes(value)
        return value if value is not None else b""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str):  # already sealed (rotation), or empty
            return value
        if not value:
            return ""
        return seal(base64.b64encode(bytes(value)).decode("ascii"), context=self.crypt_context)


class EncryptedJSONField(EncryptedTextField):
    """JSON (a dict of answers) stored as sealed text; reads give the dict back. Rotation covers it.

    For Part 2 information and free-text answers: like EncryptedTextField it cannot be queried in SQL.
    """

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        text = super().from_db_value(value, expression, connection)
        return self.to_python(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value if value is not None else {}

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
        return seal(text, context=self.crypt_context)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), sort_keys=True, ensure_ascii=False)
