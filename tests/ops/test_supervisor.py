"""The demo's supervisor starts a child again after each exit, and stops it for good when told."""

import sys
import time

from offramp.jobs.supervisor import Supervised
from tests.ops.servers import wait_until


def test_it_starts_a_child_again_after_it_exits():
    crashing = Supervised([sys.executable, "-c", "raise SystemExit(3)"], name="crasher", first_delay=0.05)
    crashing.start()
    try:
        wait_until(lambda: crashing.restarts >= 3, timeout=30, interval=0.05, what="three restarts")
    finally:
        crashing.stop()


def test_it_stops_a_running_child_and_starts_no_other():
    sleeper = Supervised(
        [sys.executable, "-c", "import time; time.sleep(60)"], name="sleeper", first_delay=0.05
    )
    sleeper.start()
    process = wait_until(lambda: sleeper.process, timeout=10, what="the child starting")
    sleeper.stop()
    assert process.poll() is not None
    time.sleep(0.3)
    assert sleeper.process is process and sleeper.restarts == 0
