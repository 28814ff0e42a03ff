"""Running offramp in production: health, backups, the SQLite backend, serving behind a proxy."""
