"""`pip install .` (not only -e) gives a working command with the default theme inside."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, article, make_site


def test_wheel_carries_the_theme_and_builds_a_site(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("broadsheet-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "generator/theme/base.html",
        "generator/theme/static/style.css",
        "generator/cli.py",
    } <= names
    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = make_site(tmp_path / "site", {"content/a.md": article("Installed", "Works.\n")})
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (site / "public/articles/2024/05/installed/index.html").read_text()
    assert "Works." in page and 'href="/static/style.css"' in page
    assert (site / "public/static/style.css").is_file()
    script = target / "bin" / "broadsheet"
    assert script.is_file()
