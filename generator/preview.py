"""Preview: `broadsheet serve` puts the builder, the watcher and the server together."""

from __future__ import annotations

import signal
import sys
import threading
import time
import webbrowser
from pathlib import Path

from generator.build import Builder, Options
from generator.config import load_config
from generator.model import BuildResult, Diagnostic
from generator.serve import BuildState, PreviewServer, in_use, local_url
from generator.watch import Watcher


def _summary(result: BuildResult, seconds: float) -> str:
    if result.errors:
        return f"build failed ({len(result.errors)} error(s)); still serving the last good build"
    return (
        f"rebuilt in {seconds * 1000:.0f} ms: {len(result.rendered)} page(s) rendered, "
        f"{len(result.written)} file(s) written, {len(result.deleted)} deleted"
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def preview(site: Path, host: str, port: int, open_browser: bool, options: Options) -> int:
    """Build, serve and rebuild on every save until interrupted. Returns an exit code."""
    from generator.cli import report

    config, problems = load_config(site, options.overrides)
    if any(p.severity == "error" for p in problems):
        report(problems)
        return 1
    builder = Builder(site, options, save_later=True, watching=True)
    state = BuildState()
    lock = threading.Lock()

    def rebuild(changed: set[str] | None = None, first: bool = False) -> None:
        with lock:
            started = time.perf_counter()
            try:
                result = builder.build(changed)
            except Exception as exc:  # a bug: said on every page, and the server goes on
                message = f"the build stopped: {type(exc).__name__}: {exc}"
                builder.forget()  # what it kept may be half made
                result = BuildResult(diagnostics=[Diagnostic("error", "build", None, message)])
            seconds = time.perf_counter() - started
        report(result.diagnostics)
        written = bool(result.written or result.deleted)
        state.publish(not result.errors, result.diagnostics, reload=written)
        if not first:
            print(_summary(result, seconds), flush=True)
        with lock:
            builder.save()  # the record for the next process, once the page reloads

    rebuild(first=True)
    output = builder.output
    output.mkdir(parents=True, exist_ok=True)
    try:
        server = PreviewServer((host, port), output, config.base_path, state)
    except OSError as error:
        if in_use(error):
            print(
                f"broadsheet serve: port {port} on {host} is in use "
                "(stop the other server, or use --port 0 for a free one)",
                file=sys.stderr,
            )
        else:
            print(
                f"broadsheet serve: cannot listen on {host}:{port}: {error.strerror or error}",
                file=sys.stderr,
            )
        return 2
    watcher = Watcher(site, config, output, rebuild)
    watcher.start()
    url = local_url(server)
    print(f"Serving {output} at {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        webbrowser.open(url)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nstopping", flush=True)
    finally:
        watcher.stop()
        server.stop_streams()
        server.server_close()
    return 0
