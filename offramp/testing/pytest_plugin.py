"""Loaded by pytest before Django starts (see pyproject.toml): the suite runs in test mode.

The database is SQLite unless OFFRAMP_DATABASE_URL names another (PostgreSQL in CI).
"""

import os
import tempfile

os.environ.setdefault("OFFRAMP_MODE", "test")
os.environ.setdefault("OFFRAMP_DATA_DIR", tempfile.mkdtemp(prefix="offramp-test-"))
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe. The browser tests only use the ORM from test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
