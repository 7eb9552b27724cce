"""The live alert stream over a real HTTP server (Server-Sent Events)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.conftest import LiveServer, Officer, make_record, make_user
from vigil.access.envelope import Audience
from vigil.alerts import service as alerts
from vigil.storage.uow import UnitOfWork

WAIT = 8.0


class Listener:
    """Reads a stream on a thread until it sees an alert titled ``until`` or the stream ends."""

    def __init__(self, url: str, officer: Officer, until: str, **headers: str) -> None:
        self.alerts: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self.done = threading.Event()
        self._args = (url, {**officer.headers, **headers}, until)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        url, headers, until = self._args
        try:
            with httpx.stream("GET", url, headers=headers, timeout=WAIT) as response:
                self.status = response.status_code
                event: dict[str, str] = {}
                for line in response.iter_lines():
                    if line.startswith(": connected"):
                        self.connected.set()
                    elif line.startswith(("event:", "data:", "id:")):
                        key, _, value = line.partition(":")
                        event[key] = value.strip()
                    elif line == "" and "data" in event:
                        alert = json.loads(event["data"])
                        self.alerts.append({**alert, "event_id": event.get("id")})
                        event = {}
                        if alert["title"] == until:
                            return
        except httpx.HTTPError:
            pass  # the server ended the stream (a revoked token): that is what some tests wait for
        finally:
            self.connected.set()
            self.done.set()

    def titles(self) -> list[str]:
        return [a["title"] for a in self.alerts]


@contextmanager
def listening(
    server: LiveServer, officer: Officer, until: str, **headers: str
) -> Iterator[Listener]:
    listener = Listener(f"{server.url}/api/v1/alerts/stream", officer, until, **headers)
    assert listener.connected.wait(WAIT)
    yield listener
    assert listener.done.wait(WAIT), "the stream did not deliver the closing alert in time"


def test_restricted_record_alert_reaches_fra_and_never_deu(live_server: LiveServer) -> None:
    db = live_server.db
    fra, deu, esp = make_user(db, "FRA"), make_user(db, "DEU"), make_user(db, "ESP")
    with (
        listening(live_server, fra, until="end") as to_fra,
        listening(live_server, deu, until="end") as to_deu,
    ):
        secret = make_record(db, esp, audience=Audience.only("FRA"), announce=True, title="secret")
        # An alert about the record addressed to DEU by mistake must still not reach it.
        with UnitOfWork(db, write=True) as uow:
            alerts.alert_members(
                uow,
                event_id="manual",
                members=["DEU"],
                kind="test",
                title="secret",
                record_id=secret.id,
            )
        make_record(db, esp, audience=Audience.everyone(), announce=True, title="end")
    assert to_fra.titles() == ["secret", "end"]
    assert to_deu.titles() == ["end"]


def test_stream_resumes_after_the_last_event_id(live_server: LiveServer) -> None:
    db = live_server.db
    fra, esp = make_user(db, "FRA"), make_user(db, "ESP")
    for title in ("one", "two"):
        make_record(db, esp, audience=Audience.only("FRA"), announce=True, title=title)
    db.dispatcher.drain()  # the server's dispatcher runs on its own thread: finish its work
    with UnitOfWork(db, write=False) as uow:
        first = alerts.since(uow, actor=fra.actor, after_seq=0)[0]
    with listening(live_server, fra, until="two", **{"Last-Event-ID": str(first.seq)}) as stream:
        pass
    assert stream.titles() == ["two"]


def test_stream_refuses_without_a_token_and_ends_when_the_token_is_revoked(
    live_server: LiveServer,
) -> None:
    from vigil.access import service as access
    from vigil.access.actors import operator

    answer = httpx.get(f"{live_server.url}/api/v1/alerts/stream", timeout=WAIT)
    assert answer.status_code == 401
    db = live_server.db
    fra = make_user(db, "FRA")
    listener = Listener(f"{live_server.url}/api/v1/alerts/stream", fra, until="never")
    assert listener.connected.wait(WAIT)
    with UnitOfWork(db, write=True) as uow:
        access.disable_user(uow, actor=operator(), user_id=fra.actor.user_id)
    assert listener.done.wait(WAIT)
