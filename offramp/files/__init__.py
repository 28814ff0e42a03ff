"""Reading files people bring to offramp: exports, mappings, protocols, directories. No Django.

Every reader reports the same way: a `Problem` per mistake (file, line or path, field, message),
all raised at once as `InvalidFile`, so a file loads whole or not at all and its author can fix it
in one pass. The pieces, each in its own module:

- `problems`: `Problem`, `InvalidFile`.
- `documents`: `read_text`, `load_toml`, `load_yaml`, `load_json`, bounded in size and depth, with
  overflowing numbers, NUL characters and implausible dates refused.
- `validating`: `validated(Dataclass, data)` with pydantic, mistakes at their paths in offramp's words.
- `mapping`: `Field`, `Schema`, `ColumnMapping`, `mapping_from_toml`: which column holds which field.
- `table`: `read_table(path_or_bytes, mapping)`: a mapped CSV or Parquet export as a typed polars frame.
- `archives`: `read_zip`.

A typical import::

    from offramp.files import InvalidFile, mapping_from_toml, read_table

    try:
        mapping = mapping_from_toml(mapping_text, SCHEMA)
        frame = read_table(path, mapping, file=upload_name)
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
"""

from offramp.files.archives import read_zip
from offramp.files.documents import load_json, load_toml, load_yaml, read_text
from offramp.files.mapping import ColumnMapping, Field, Schema, mapping_from_toml
from offramp.files.problems import InvalidFile, Problem
from offramp.files.table import read_table
from offramp.files.validating import validated

__all__ = [
    "ColumnMapping",
    "Field",
    "InvalidFile",
    "Problem",
    "Schema",
    "load_json",
    "load_toml",
    "load_yaml",
    "mapping_from_toml",
    "read_table",
    "read_text",
    "read_zip",
    "validated",
]
