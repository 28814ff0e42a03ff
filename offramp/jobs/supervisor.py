"""Keeping a child process running: `offramp demo` restarts its worker whenever it exits.

In production systemd (Restart=always) or the container runtime does this job; the demo has
neither, so a worker that died (out of memory, killed) would otherwise leave tasks queued for ever.
"""

import logging
import subprocess
import threading
import time

logger = logging.getLogger(__name__)

HEALTHY_SECONDS = 60.0  # a child that ran this long restarts at once after its next exit


class Supervised:
    """Runs `command` in a thread that starts it again after each exit, waiting longer after quick crashes."""

    def __init__(self, command: list[str], *, name: str, first_delay: float = 1.0, max_delay: float = 30.0):
        self.command = command
        self.name = name
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.restarts = 0
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"supervise-{name}", daemon=True)

    def start(self) -> "Supervised":
        self._thread.start()
        return self

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            self.process = subprocess.Popen(self.command)  # noqa: S603 (our own interpreter and module)
            return self.process

    def _run(self) -> None:
        delay = self.first_delay
        while not self._stopping.is_set():
            started = time.monotonic()
            process = self._spawn()
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= HEALTHY_SECONDS:
                delay = self.first_delay
            logger.warning(
                "The %s stopped (exit code %s); starting it again in %.0f s", self.name, code, delay
            )
            if self._stopping.wait(delay):
                return
            self.restarts += 1
            delay = min(delay * 2, self.max_delay)

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout=timeout)
