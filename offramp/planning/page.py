"""The planning page's steps, apart from the view: files or a signed summary in, a brief out.

A city's arrest file is read once and reduced to counts; the counts travel back with the form,
signed, so the assumptions can be changed and the brief recomputed without uploading it again.
"""

from __future__ import annotations

import dataclasses

from django.core import signing

from offramp.files.problems import InvalidFile
from offramp.planning import brief as briefs
from offramp.planning import inputs, model
from offramp.planning.arrests import Counts, count_arrests

SALT = "offramp.planning.counts"
ERR_NO_FILE = "arrests: choose the city's arrests file (CSV), or start from the example city"
ERR_SUMMARY = "The summary of the arrests file could not be read back; upload the file again"
ERR_PROTOCOL = "protocol: choose a shipped example or upload a protocol file (TOML)"


@dataclasses.dataclass(frozen=True)
class Outcome:
    brief: dict | None
    token: str
    errors: list[str]


def sign(counts: Counts, protocol_label: str) -> str:
    return signing.dumps(
        {"counts": dataclasses.asdict(counts), "protocol": protocol_label}, salt=SALT, compress=True
    )


def _read(upload) -> bytes | None:
    return upload.read() if upload else None


def plan_from(post, files, *, example: bool = False) -> Outcome:
    """The brief for the uploaded files (or the example city, or the signed counts) and assumptions."""
    given = {name: post.get(name, "") for name in model.NAMES}
    try:
        assumed = model.assumptions(given)
    except model.AssumptionError as exc:
        return Outcome(None, post.get("counts", ""), exc.messages)
    try:
        if example:
            counts = count_arrests(
                inputs.EXAMPLE_ARRESTS,
                inputs.protocol_from(None, name="seattle"),
                file=inputs.EXAMPLE_ARRESTS.name,
            )
            label = _label(inputs.protocol_from(None, name="seattle"))
        elif files.get("arrests"):
            protocol_file = files.get("protocol")
            name = post.get("protocol_example", "")
            if protocol_file is None and name not in inputs.EXAMPLES:
                return Outcome(None, "", [ERR_PROTOCOL])
            chosen = inputs.protocol_from(
                _read(protocol_file), name=name, file=getattr(protocol_file, "name", "")
            )
            upload = files["arrests"]
            counts = count_arrests(upload.read(), chosen, _read(files.get("mapping")), file=upload.name)
            label = _label(chosen)
        elif post.get("counts"):
            try:
                data = signing.loads(post["counts"], salt=SALT)
            except signing.BadSignature:
                return Outcome(None, "", [ERR_SUMMARY])
            counts, label = briefs.counts_from_dict(data["counts"]), data["protocol"]
        else:
            return Outcome(None, "", [ERR_NO_FILE])
    except InvalidFile as exc:
        return Outcome(None, "", exc.messages)
    return Outcome(briefs.build(counts, assumed, protocol_label=label), sign(counts, label), [])


def _label(protocol) -> str:
    return f"{protocol.label} (version {protocol.version})"
