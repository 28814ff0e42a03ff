"""Where the published standards live for conformance tests.

The product states the codes it needs in its own modules; these tests check them
against the standards' files in `../shared/standards/` beside the repository, which
CI always has (OFFRAMP_STANDARDS names another folder, e.g. for a git worktree kept
elsewhere). On a machine without that folder the conformance tests are skipped,
except under CI (CI=true), where a missing standard is a failure. Called at module
level (a module that reads a standard to parametrize its tests), the skip covers the
module and the failure is a collection error: neither is a silent pass.
"""

import os
from pathlib import Path

import pytest

STANDARDS = Path(
    os.environ.get("OFFRAMP_STANDARDS") or Path(__file__).resolve().parents[1].parent / "shared" / "standards"
)


def standard_file(*parts: str) -> Path:
    path = STANDARDS.joinpath(*parts)
    if not path.exists():
        message = f"the published standard {path} is not beside the repository"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return path
