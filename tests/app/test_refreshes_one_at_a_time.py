"""Play's refreshes run one at a time in a worker process (app/web/training.py:
train_chunk), under a limiter of their own: while one trains the others wait, and the
clicks, whose threads the refreshes do not take, are answered meanwhile."""

from __future__ import annotations

import threading
import time

from app.service.lab import LabService
from app.web import training
from tests.support.networks import PLAYED as NET

HX = {"HX-Request": "true", "HX-Source": "form#player"}
CLICK = {"HX-Request": "true"}


def test_a_second_refresh_waits_for_the_first_and_a_click_does_not(client, monkeypatch):
    assert training.REFRESHES_AT_ONCE == 1
    players = [client.post("/api/networks", json=NET).json()["id"] for _ in range(2)]
    clicker = client.post("/api/networks", json={"preset": "seed-xor"}).json()["id"]
    first_in, release = threading.Event(), threading.Event()
    lock, running, most = threading.Lock(), [0], [0]
    real = LabService.train

    def held(self, target, iterations, clamp=False, stop=None, seconds=None):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        first_in.set()
        release.wait(20)  # the first refresh holds here until the click is answered
        try:
            return real(self, target, iterations, clamp, stop, seconds)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(LabService, "train", held)
    answers: dict[str, int] = {}

    def refresh(nid: str) -> None:
        r = client.post(f"/n/{nid}/chunk", data={"speed": "20", "mode": "train"}, headers=HX)
        answers[nid] = r.status_code

    threads = [threading.Thread(target=refresh, args=(nid,)) for nid in players]
    threads[0].start()
    assert first_in.wait(20), "the first refresh never began to train"
    threads[1].start()
    time.sleep(0.3)  # time enough for the second to begin, were it let in
    assert running[0] == 1  # the second waits for the first
    click = client.post(f"/n/{clicker}/step", data={}, headers=CLICK)
    assert click.status_code == 200 and 'id="diagram"' in click.text  # answered meanwhile
    assert running[0] == 1 and not answers  # while both refreshes still wait
    release.set()
    for t in threads:
        t.join(30)
    assert answers == {nid: 200 for nid in players}  # both answered, one after the other
    assert most[0] == 1
    versions = [client.get(f"/api/networks/{nid}").json()["iteration"] for nid in players]
    assert versions == [20, 20]  # each trained its chunk
