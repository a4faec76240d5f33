"""Play's fastest speed: each refresh trains for what is left of REFRESH_SECONDS once the
time already spent and the running estimate of what comes after training are taken off
(app/web/pace.py), within LEAST_SECONDS .. MOST_SECONDS."""

from __future__ import annotations

import pytest

from app.service.lab import LabService
from app.web import pace, training
from app.web.pace import LEAST_SECONDS, MOST_SECONDS, REFRESH_SECONDS, WEIGHT, Pace
from tests.support.networks import PLAYED as NET

HX = {"HX-Request": "true", "HX-Source": "form#player"}


def test_the_training_time_is_what_the_refresh_has_left():
    p = Pace(after=0.02)
    # 0.105 − 0.005 already spent (loading) − 0.02 estimated after = 0.08
    assert p.seconds(10.0, 10.005) == pytest.approx(REFRESH_SECONDS - 0.005 - 0.02)
    assert p.seconds(10.0, 10.005) == pytest.approx(0.08)
    assert Pace(after=0.0).seconds(10.0, 10.0) == MOST_SECONDS  # never more than the most
    assert Pace(after=0.2).seconds(10.0, 10.0) == LEAST_SECONDS  # nor less than the least


def test_the_estimate_follows_the_refreshes_served():
    p = Pace(after=0.02)
    # training began at 10.0, asked 0.07 s, answer ready at 10.11: 0.04 s after it
    p.served(10.0, 0.07, 10.11)
    assert p.after == pytest.approx(0.02 + WEIGHT * (0.04 - 0.02))  # 0.024
    for _ in range(60):  # a busy server: 0.04 s every time, the estimate gets there
        p.served(10.0, 0.07, 10.11)
    assert p.after == pytest.approx(0.04, abs=1e-4)
    assert p.seconds(10.0, 10.005) == pytest.approx(0.105 - 0.005 - 0.04)  # shorter training
    p.served(10.0, 0.07, 10.05)  # faster than asked (a stop condition): no negative cost
    assert p.after == pytest.approx(0.04 * (1 - WEIGHT), abs=1e-4)


def test_a_fastest_refresh_trains_for_the_pace_and_updates_it(client, monkeypatch):
    nid = client.post("/api/networks", json=NET).json()["id"]
    own = Pace(after=0.03)
    monkeypatch.setattr(training, "PACE", own)
    asked = []
    real = LabService.train

    def spy(self, target, iterations, clamp=False, stop=None, seconds=None):
        asked.append(seconds)
        return real(self, target, iterations, clamp, stop, seconds)

    monkeypatch.setattr(LabService, "train", spy)
    data = {"speed": "0", "mode": "train"}
    r = client.post(f"/n/{nid}/chunk", data=data, headers=HX)
    assert r.status_code == 200
    assert len(asked) == 1 and LEAST_SECONDS <= asked[0] <= REFRESH_SECONDS - 0.03
    assert own.after != 0.03  # the refresh was timed
    r = client.post(f"/n/{nid}/chunk", data={"speed": "20", "mode": "train"}, headers=HX)
    assert asked[-1] is None  # a speed of so many iterations is not timed
    assert pace.PACE is not own  # the module's own estimate is left alone
