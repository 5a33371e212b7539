"""Media types of output files, as the preview server and the S3 target send them."""

from __future__ import annotations

import mimetypes

TEXT_TYPES = (
    "text/",
    "application/xml",
    "application/json",
    "application/atom+xml",
    "image/svg+xml",
    "application/javascript",
)


def media_type(name: str) -> str:
    """The media type of an output file by its name; feeds are Atom, not generic XML."""
    if name.endswith("feed.xml"):
        return "application/atom+xml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def content_type(kind: str) -> str:
    """A Content-Type header value: text types say they are UTF-8."""
    return kind + ("; charset=utf-8" if kind.startswith(TEXT_TYPES) else "")
