"""Reading a server-sent event stream in a background thread, for the tests."""

from __future__ import annotations

import json
import threading
import time

import httpx


class Stream:
    """GET `url` as an event stream; `events` collects (event, data) as they come (data
    parsed as JSON when it is), comments as ("comment", text); `ended` once the stream
    ends. `headers` and `raw` (every line) for the checks of what a watch answer says."""

    def __init__(self, url: str, headers: dict | None = None):
        self.url, self.events, self.lines = url, [], []
        self.headers: httpx.Headers | None = None
        self.status = 0
        self.ended = threading.Event()
        self.opened = threading.Event()
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=None))
        self._thread = threading.Thread(target=self._read, args=(headers or {},), daemon=True)
        self._thread.start()
        assert self.opened.wait(10), f"{url} did not answer"

    def _read(self, headers: dict) -> None:
        try:
            with self._client.stream("GET", self.url, headers=headers) as response:
                self.status, self.headers = response.status_code, response.headers
                self.opened.set()
                event, data = "message", []
                for line in response.iter_lines():
                    self.lines.append(line)
                    if line.startswith(":"):
                        self.events.append(("comment", line[1:].strip()))
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif line == "" and data:
                        text = "\n".join(data)
                        try:
                            self.events.append((event, json.loads(text)))
                        except ValueError:
                            self.events.append((event, text))
                        event, data = "message", []
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.ended.set()

    def of(self, kind: str) -> list:
        return [data for event, data in list(self.events) if event == kind]

    def wait_for(self, test, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if test(self):
                return True
            time.sleep(0.01)
        return test(self)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
