"""External programs some tests need (Chromium, pdflatex, pdftoppm): a test skips without
one unless its BACKPROP_LAB_REQUIRE_* variable is 1 (as CI sets it), when it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's, never a downloaded browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require(program: str, flag: str) -> str:
    """The program's path; skip (or fail under `flag`=1) when it is not installed."""
    path = program if Path(program).is_absolute() and Path(program).exists() else None
    path = path or shutil.which(program)
    if path is None:
        if os.environ.get(flag) == "1":
            pytest.fail(f"{program} is not installed and {flag}=1")
        pytest.skip(f"{program} is not installed")
    return path


def pdflatex(source: str, folder: Path) -> Path:
    """Compile a LaTeX document with pdflatex in `folder`; the PDF, or a failure showing
    TeX's error lines."""
    tex = require("pdflatex", "BACKPROP_LAB_REQUIRE_TEX")
    (folder / "doc.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        [tex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert run.returncode == 0, "\n".join(errors) or run.stdout[-2000:]
    return folder / "doc.pdf"
