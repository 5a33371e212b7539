"""Serve: the editor's preview. Serves the output folder, reloads open pages after
each build (Server-Sent Events) and shows build errors over every page.

The reload script and the error overlay are added to HTML responses here, never
written to the output files.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.mediatypes import content_type, media_type
from generator.model import Diagnostic

EVENTS = "/__broadsheet/events"
STATUS = "/__broadsheet/status"
KEEPALIVE_SECONDS = 10.0

RELOAD_SCRIPT = """<script data-broadsheet-reload>(() => {
  let seen = null;
  const source = new EventSource(%s);
  source.addEventListener("build", (event) => {
    if (seen !== null && event.data !== seen) location.reload();
    seen = event.data;
  });
})();</script>"""


@dataclass(slots=True)
class BuildState:
    """What the browser should know about the last build; shared between threads."""

    generation: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, ok: bool, diagnostics: list[Diagnostic], reload: bool) -> None:
        """Record a finished build; open pages reload if it changed what they show."""
        with self.changed:
            if reload or ok != self.ok or (not ok and diagnostics != self.diagnostics):
                self.generation += 1
            self.ok, self.diagnostics = ok, list(diagnostics)
            self.changed.notify_all()

    def wait(self, generation: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation, timeout)
            return self.generation


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, prefix: str, state: BuildState):
        self.root = root
        self.prefix = prefix
        self.state = state
        self.stopping = threading.Event()
        if ":" in address[0]:  # an IPv6 address: "::1", "::"
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def stop_streams(self) -> None:
        """End every open event stream, so their threads finish."""
        self.stopping.set()
        with self.state.changed:
            self.state.changed.notify_all()

    def shutdown(self) -> None:
        self.stop_streams()
        super().shutdown()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "Broadsheet"
    timeout = 30  # a client that stops sending is dropped, not kept forever

    def log_message(self, format: str, *args: object) -> None:
        pass  # a preview server with many requests a second keeps the terminal for errors

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _refuse_method(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"method not allowed\n",
            "text/plain",
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _serve(self, head: bool) -> None:
        try:
            self._route(head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"server error\n", "text/plain")

    def _route(self, head: bool) -> None:
        raw_path = urlsplit(self.path).path
        if raw_path == EVENTS and not head:
            self._events()
            return
        if raw_path == STATUS:
            self._status(head)
            return
        target = self._resolve(raw_path)
        if target is None:
            self._send(HTTPStatus.BAD_REQUEST, b"bad request\n", "text/plain", head=head)
            return
        try:
            is_dir = target.is_dir()
        except OSError:  # a name too long for the file system: no such page
            self._not_found(head)
            return
        if is_dir:
            if not raw_path.endswith("/"):
                self._send(
                    HTTPStatus.MOVED_PERMANENTLY,
                    b"",
                    "text/plain",
                    head=head,
                    extra={"Location": raw_path + "/"},
                )
                return
            target = target / "index.html"
        try:
            found = target.is_file()
        except OSError:
            found = False
        if not found:
            self._not_found(head)
            return
        self._file(target, HTTPStatus.OK, head)

    def _resolve(self, raw_path: str) -> Path | None:
        """The file for a URL path, or None for anything that could leave the output."""
        if "\\" in raw_path or "%5c" in raw_path.lower() or "%2f" in raw_path.lower():
            return None
        try:
            path = unquote(raw_path, errors="strict") if "%" in raw_path else raw_path
        except UnicodeDecodeError:
            return None
        if "\0" in path or "\\" in path or not path.startswith("/"):
            return None
        prefix = self.server.prefix
        if prefix != "/" and path.rstrip("/") + "/" != prefix and not path.startswith(prefix):
            return self.server.root / ".broadsheet-missing"
        inner = path[len(prefix) :] if path.startswith(prefix) else ""
        parts = [p for p in inner.split("/") if p]
        if any(p in (".", "..") or ":" in p or len(p.encode()) > 255 for p in parts):
            return None
        root = self.server.root
        candidate = root.joinpath(*parts)
        try:
            resolved = candidate.resolve()
            real_root = root.resolve()
        except (OSError, RuntimeError):
            return None
        if resolved != real_root and real_root not in resolved.parents:
            return None  # a symlink pointing out of the output folder
        return candidate

    def _not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            self._file(page, HTTPStatus.NOT_FOUND, head)
        else:
            body = self._decorate(b"<!doctype html><title>Not found</title><h1>Not found</h1>")
            self._send(HTTPStatus.NOT_FOUND, body, "text/html", head=head)

    def _file(self, path: Path, status: HTTPStatus, head: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # deleted or replaced between the check and the read
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head=head)
            return
        kind = media_type(path.name)
        if kind == "text/html":
            data = self._decorate(data)
        self._send(status, data, kind, head=head)

    def _decorate(self, html: bytes) -> bytes:
        """Add the reload script, and the error overlay while the last build failed."""
        addition = RELOAD_SCRIPT % json.dumps(EVENTS)
        state = self.server.state
        if not state.ok:
            addition += overlay(state.diagnostics)
        marker = html.rfind(b"</body>")
        extra = addition.encode("utf-8")
        if marker == -1:
            return html + extra
        return html[:marker] + extra + html[marker:]

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        head: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(kind))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store" if kind == "text/html" else "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def _status(self, head: bool) -> None:
        state = self.server.state
        body = json.dumps(
            {
                "generation": state.generation,
                "ok": state.ok,
                "diagnostics": [str(d) for d in state.diagnostics],
            }
        ).encode()
        self._send(HTTPStatus.OK, body, "application/json", head=head)

    def _events(self) -> None:
        """A Server-Sent Events stream: the build generation now and after every change."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        state, stopping = self.server.state, self.server.stopping
        generation = state.generation
        try:
            self.wfile.write(f"retry: 500\nevent: build\ndata: {generation}\n\n".encode())
            self.wfile.flush()
            while not stopping.is_set():
                latest = state.wait(generation, KEEPALIVE_SECONDS)
                if latest != generation:
                    generation = latest
                    self.wfile.write(f"event: build\ndata: {generation}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def overlay(diagnostics: list[Diagnostic]) -> str:
    """A panel over the page listing what broke the build, with file and line."""
    items = "".join(
        f"<li><code>{escape(d.path)}{':' + str(d.line) if d.line else ''}</code> "
        f"{escape(d.severity)}: {escape(d.message)}</li>"
        for d in diagnostics
    )
    return (
        '<div id="broadsheet-error" role="alert" style="position:fixed;inset:auto 0 0 0;'
        "max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0d0d;color:#fff;"
        'font:14px/1.5 ui-monospace,monospace;padding:1rem 1.5rem;border-top:4px solid #e5484d">'
        "<strong>Build failed; showing the last good build.</strong>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>'
    )


def local_url(server: PreviewServer) -> str:
    host, port = server.server_address[:2]
    shown = host if host not in ("0.0.0.0", "") else "127.0.0.1"
    if ":" in str(shown):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{server.prefix}"


def in_use(error: OSError) -> bool:
    return (
        error.errno in (98, 48, 10048)
        or "in use" in str(error).lower()
        or (os.name == "nt" and error.errno == 10013)
    )
