"""The real server: state survives SIGKILL and a restart; concurrent steps across two
worker processes lose no update; the command prints the URL to open."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.api_helpers import JSON
from tests.support.live_server import LiveServer, free_port


def test_state_survives_sigkill_and_restart(tmp_path):
    db = str(tmp_path / "lab.db")
    server = LiveServer(db).start()
    try:
        with httpx.Client(base_url=server.url) as http:
            nid = http.post("/api/networks", json={"preset": "circle-tanh"}).json()["id"]
            for action in ("step", "step", "undo", "step"):
                assert http.post(f"/api/networks/{nid}/{action}", headers=JSON).status_code == 200
            trained = http.post(f"/api/networks/{nid}/train", json={"iterations": 30})
            assert trained.status_code == 200
            assert http.post(f"/api/networks/{nid}/forward", headers=JSON).status_code == 200
            before = http.get(f"/api/networks/{nid}").json()
    finally:
        server.kill()
    assert server.process.returncode == -9
    with LiveServer(db) as again, httpx.Client(base_url=again.url) as http:
        after = http.get(f"/api/networks/{nid}").json()
        assert after == before  # exactly: every float bit, the cursor, trace and history
        assert after["iteration"] == 32 and after["cursor"]["layer"] == 1
        undone = http.post(f"/api/networks/{nid}/undo", headers=JSON).json()
        assert undone["iteration"] == 32 and undone["cursor"]["phase"] == "idle"  # after train


def test_concurrent_steps_on_two_workers_lose_nothing(live_server):
    url = live_server(workers=2)
    with httpx.Client(base_url=url) as http:
        net = http.post("/api/networks", json={"preset": "seed-xor"}).json()
    nid, steps = net["id"], 48

    def step(_):
        with httpx.Client(base_url=url, timeout=30) as http:
            response = http.post(f"/api/networks/{nid}/step", headers=JSON)
            assert response.status_code == 200, response.text
            return response.json()

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(step, range(steps)))
    assert sorted(a["version"] for a in answers) == list(range(2, 2 + steps))
    assert sorted(a["iteration"] for a in answers) == list(range(1, 1 + steps))
    final = httpx.get(f"{url}/api/networks/{nid}").json()
    assert final["iteration"] == steps and final["version"] == 1 + steps


def test_command_prints_the_url_and_serves(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "app", "--port", str(port), "--db", str(tmp_path / "cli.db")]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        try:
            line = process.stdout.readline()
            assert f"http://127.0.0.1:{port}/" in line
            LiveServer.wait_until_up(f"http://127.0.0.1:{port}", process, timeout=30)
            assert (tmp_path / "cli.db").exists()  # --db chose the file
        finally:
            process.terminate()
            process.wait(timeout=10)
