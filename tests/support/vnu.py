"""The Nu HTML Checker (vnu.jar, npm vnu-jar installed by .ci/run into .ci/node) run once
on many pages: the JVM start costs seconds, each page milliseconds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_JAR = REPO / ".ci/node/node_modules/vnu-jar/build/dist/vnu.jar"


def vnu_jar() -> Path | None:
    """The checker (BACKPROP_LAB_VNU_JAR, else .ci/node's), or None without it or Java."""
    jar = Path(os.environ.get("BACKPROP_LAB_VNU_JAR") or DEFAULT_JAR)
    return jar if jar.is_file() and shutil.which("java") else None


def check_pages(pages: dict[str, str], jar: Path) -> dict[str, list[dict]]:
    """pages: name → a whole HTML document. Returns name → the checker's messages (errors
    and warnings); raises if it could not check a page at all."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for i, (name, html) in enumerate(pages.items()):
            (Path(tmp) / f"page{i}.html").write_text(html, encoding="utf-8")
            files[f"page{i}.html"] = name
        proc = subprocess.run(
            [
                "java",
                "-Xss4m",
                "-jar",
                str(jar),
                "--format",
                "json",
                "--stdout",
                "--no-langdetect",
                "--exit-zero-always",
                *(str(Path(tmp) / f) for f in files),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        report = json.loads(proc.stdout)
    out: dict[str, list[dict]] = {name: [] for name in pages}
    for m in report["messages"]:
        if m["type"] == "non-document-error":
            raise RuntimeError(f"the Nu checker could not check a page: {m}")
        out[files[m["url"].rsplit("/", 1)[-1]]].append(m)
    return out


def errors(messages: list[dict]) -> list[str]:
    return [
        f"line {m.get('lastLine')}: {m['message']} [{m.get('extract', '')[:80]!r}]"
        for m in messages
        if m["type"] == "error"
    ]
