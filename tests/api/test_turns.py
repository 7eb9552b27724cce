"""Turns at the event loop: a budget of checks a pass, answers already due first, arrival order
kept."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from types import SimpleNamespace
from typing import Any

import pytest

from vigil.api import turns as turns_module
from vigil.api.turns import BUDGET, Turns


def _run(main: object) -> None:
    asyncio.run(main)  # type: ignore[arg-type]


def _checks(
    turns: Turns,
    order: list[str],
    *,
    answered: bool = False,
    spend: Callable[[float], None] = time.sleep,
) -> Callable[..., Coroutine[Any, Any, None]]:
    """A check that notes its name when it runs and holds the loop ``work`` seconds (``spend``);
    with ``answered``, its answer is then queued from another thread, as the group writer queues
    it once the check's audit entry is durable."""
    loop = asyncio.get_running_loop()

    async def check(name: str, work: float = BUDGET) -> None:
        async with turns.turn():
            order.append(name)
            spend(work)
            if answered:
                loop.call_soon_threadsafe(order.append, f"{name} answered")

    return check


@pytest.mark.parametrize("kind", ["asyncio", "uvloop"])
def test_an_answer_due_leaves_before_the_next_check_of_a_burst(kind: str) -> None:
    """On both loops the server may run on (uvicorn takes uvloop when it is installed)."""
    order: list[str] = []

    async def main() -> None:
        check = _checks(Turns(asyncio.get_running_loop()), order, answered=True)
        await asyncio.gather(*(check(name) for name in "abc"))

    if kind == "uvloop":
        uvloop = pytest.importorskip("uvloop")
        uvloop.run(main())
    else:
        _run(main())
    # Without turns the burst ran a, b, c in one pass and every answer waited behind it.
    assert order == ["a", "a answered", "b", "b answered", "c", "c answered"]


def test_cheap_checks_share_a_pass_until_its_budget_is_spent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    # The turns read a clock that only the checks' work moves: a busy machine pausing the test
    # between two cheap checks must not spend the pass's budget.
    now = [0.0]
    monkeypatch.setattr(turns_module, "time", SimpleNamespace(perf_counter=lambda: now[0]))

    def spend(work: float) -> None:
        now[0] += work

    async def main() -> None:
        check = _checks(Turns(asyncio.get_running_loop()), order, answered=True, spend=spend)
        # Three document checks fit in one pass (one group commit); a name screening spends
        # the rest of the budget, and the check after it waits for the answers.
        await asyncio.gather(
            check("a", 0), check("b", 0), check("c", 0), check("slow", BUDGET), check("d", 0)
        )

    _run(main())
    assert order[:4] == ["a", "b", "c", "slow"]
    assert order.index("d") > order.index("slow answered")


def test_turns_are_taken_in_arrival_order_and_a_lone_check_does_not_wait() -> None:
    order: list[str] = []

    async def main() -> None:
        turns = Turns(asyncio.get_running_loop())
        check = _checks(turns, order)
        tasks = [asyncio.create_task(check(str(i))) for i in range(6)]
        await asyncio.gather(*tasks)
        assert turns.waiting == 0
        await asyncio.sleep(0)  # the last turn is given back in the next pass
        async with turns.turn():  # nobody holds it: taken at once, without yielding
            order.append("alone")

    _run(main())
    assert order == ["0", "1", "2", "3", "4", "5", "alone"]


def test_a_waiter_cancelled_neither_runs_nor_holds_up_the_others() -> None:
    order: list[str] = []

    async def main() -> None:
        check = _checks(Turns(asyncio.get_running_loop()), order)
        first = asyncio.create_task(check("first"))
        gone = asyncio.create_task(check("gone"))
        last = asyncio.create_task(check("last"))
        await asyncio.sleep(0)  # all three have run up to their turn: "first" holds it
        gone.cancel()
        await asyncio.gather(first, last)
        with pytest.raises(asyncio.CancelledError):
            await gone

    _run(main())
    assert order == ["first", "last"]


def test_a_failing_check_gives_its_turn_back() -> None:
    order: list[str] = []

    async def main() -> None:
        turns = Turns(asyncio.get_running_loop())

        async def check(name: str) -> None:
            async with turns.turn():
                if name == "bad":
                    raise ValueError(name)
                order.append(name)

        results = await asyncio.gather(check("bad"), check("good"), return_exceptions=True)
        assert isinstance(results[0], ValueError)

    _run(main())
    assert order == ["good"]
