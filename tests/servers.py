"""Start `broadsheet serve` as a real process on a free port, for the serve tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def serving(site: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run the preview server on a free port; yield its URL; stop it with Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # As from a terminal: a background job (CI started with `&`) inherits SIGINT
        # ignored, and Python then never raises KeyboardInterrupt.
        preexec_fn=_interruptible,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    url = None
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"at (http://\S+) ", line)
        if match:
            url = match.group(1).rstrip("/")
            break
    assert url, "server did not start:\n" + "".join(lines)
    try:
        yield url, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
