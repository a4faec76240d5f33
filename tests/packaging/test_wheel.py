"""The package installs like any other: build the sdist and, from it, the wheel; both carry
every template and static file; the wheel, installed into a fresh venv outside the source
tree, starts with `backprop-lab` from an empty folder and serves the start page, a lab
page, static files, a handout and /docs from the installed copy.

The fresh venv gets the wheel alone (`--no-deps`) and reaches the test venv's
dependencies through a .pth file: a plain path line, so the test venv's editable finder
for this project never runs and `app` comes from the wheel (checked below)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import time
import tomllib
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def run(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600, **kw
    )


def web_files() -> list[str]:
    """Every file under templates/ and static/, as a path relative to the repository."""
    out = [
        p.relative_to(REPO).as_posix()
        for folder in ("templates", "static")
        for p in (REPO / folder).rglob("*")
        if p.is_file()
    ]
    assert len(out) > 30 and any(p.endswith(".woff2") for p in out)
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from it (what `python -m build` does)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", str(out), str(REPO))
    return out


def test_the_wheel_and_the_sdist_carry_every_template_and_static_file(dist):
    (wheel,) = dist.glob(f"backprop_lab-{VERSION}-*.whl")
    (sdist,) = dist.glob(f"backprop_lab-{VERSION}.tar.gz")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as tar:
        in_sdist = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for path in web_files():
        assert f"app/{path}" in in_wheel, path
        assert f"app/{path}" in in_sdist, path
    assert "app/main.py" in in_wheel and "engine/__init__.py" in in_wheel


def fresh_venv(where: Path, wheel: Path) -> Path:
    """A venv with only the wheel installed; the test venv's packages through a .pth."""
    venv.EnvBuilder(with_pip=False).create(where)
    python = where / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "-q",
        "--no-deps",
        str(wheel),
    )
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    Path(purelib.stdout.strip(), "_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return python


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.headers.get("content-type", ""), answer.read()


def wait_for(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            get(url)
            return
        except OSError:
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def test_the_installed_wheel_serves_the_app_from_an_empty_folder(dist, tmp_path):
    (wheel,) = dist.glob("*.whl")
    python = fresh_venv(tmp_path / "venv", wheel)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("BACKPROP_LAB_DB", None)
    here = tmp_path / "empty"
    here.mkdir()
    command = str(tmp_path / "venv" / "bin" / "backprop-lab")
    assert run(command, "--version", cwd=here, env=env).stdout.strip() == f"backprop-lab {VERSION}"
    where = run(
        str(python), "-c", "import app.main as m; print(m.TEMPLATES, m.STATIC)", cwd=here, env=env
    )
    assert where.stdout.count(str(tmp_path / "venv")) == 2, where.stdout  # not the source tree

    port = free_port()
    server = subprocess.Popen(
        [command, "--port", str(port)],
        cwd=here,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", server)
        status, kind, body = get(base + "/")
        assert status == 200 and "text/html" in kind and b"<html" in body
        request = urllib.request.Request(
            base + "/api/networks",
            data=json.dumps({"preset": "worked-example"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            nid = json.load(answer)["id"]
        status, _, body = get(f"{base}/n/{nid}")
        assert status == 200 and b'id="diagram"' in body and b"<math" in body
        for path in (
            "css/lab.css",
            "vendor/htmx/htmx.min.js",
            "vendor/fonts/STIXTwoMath-Regular-subset.woff2",
        ):
            status, _, body = get(f"{base}/static/{path}")
            assert status == 200 and body == (REPO / "static" / path).read_bytes(), path
        status, kind, body = get(f"{base}/api/networks/{nid}/worked-example.html")
        assert status == 200 and "text/html" in kind and b'<svg id="net"' in body
        assert get(base + "/static/css/handout.css")[0] == 200
        status, _, body = get(base + "/docs")
        assert status == 200 and b"/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
        assert get(base + "/static/vendor/swagger-ui/swagger-ui-bundle.js")[0] == 200
    finally:
        server.terminate()
        out = server.communicate(timeout=10)[0]
    # the start-up line names the version and the database file, in the folder it started in
    assert f"backprop-lab {VERSION}: open {base}/" in out, out
    assert f"networks in the SQLite file {here / 'backprop-lab.db'}" in out, out
    assert (here / "backprop-lab.db").is_file()
