"""Shared helpers: build real small sites in temporary folders and read their output."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a site: {"content/a.md": "...", "site.toml": "..."}; text is dedented."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def article(title: str, body: str, date: str = "2024-05-01", **fields: str) -> str:
    """A Markdown article with YAML front matter."""
    lines = [f"title: {title!r}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body).lstrip("\n")


class Built:
    """The result of running `broadsheet build` on a site."""

    def __init__(self, site: Path, code: int, out: str, err: str) -> None:
        self.site, self.code, self.out, self.err = site, code, out, err
        self.public = site / "public"

    def page(self, url: str) -> str:
        path = self.public / url.strip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        path = self.public / url.strip("/")
        return (path / "index.html" if url.endswith("/") else path).is_file()


def run_build(site: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> Built:
    code = main(["build", "--site", str(site), *args])
    captured = capsys.readouterr()
    return Built(site, code, captured.out, captured.err)


@pytest.fixture
def build(capsys: pytest.CaptureFixture[str]):
    """build(site, *args) -> Built, running the real command in this process."""
    return lambda site, *args: run_build(site, *args, capsys=capsys)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's sample archive, built once per test session."""
    site = tmp_path_factory.mktemp("sample")
    for name in ("content", "seeds", "site.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy(source, site / name)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site


def internal_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/[^"#?]*)', html)
