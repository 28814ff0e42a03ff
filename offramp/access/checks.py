"""Deployment checks (`offramp check --deploy`): production keeps its field keys outside the database."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from offramp.access.fieldcrypt import field_keys, keys_reload

FIELD_KEYS_MISSING = "offramp.E101"


@checks.register(checks.Tags.security, deploy=True)
def field_keys_configured(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """In production, OFFRAMP_FIELD_KEYS (or _FILE) must hold at least one well-formed key."""
    if not settings.PRODUCTION:
        return []  # demo and test sites generate a key file in the data folder
    keys_reload()  # read the configuration as it is now, not as first cached
    try:
        field_keys()
    except (ImproperlyConfigured, ValueError) as exc:
        return [
            checks.Error(
                f"Field encryption keys are not usable: {exc}",
                hint="Set OFFRAMP_FIELD_KEYS_FILE to a file of `id:base64key` lines "
                "(`offramp keys new` prints one; see docs/security.md).",
                id=FIELD_KEYS_MISSING,
            )
        ]
    return []
