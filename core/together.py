"""Asks made at the same moment by many coroutines of one event loop, answered by one call.

For work whose cost is per call, not per item: a query that reads one row or a thousand costs
about the same. Each coroutine awaits its own answer; the coroutines that ask while a call runs
wait for the next one, which answers them all. The call runs in Channels' database thread.
"""

import asyncio
import weakref
from collections.abc import Callable

from channels.db import database_sync_to_async


class Together:
    """`await together(item)`: the answer `answer_all([..., item, ...])` gives for the item,
    with the other items asked at the same moment. answer_all takes a list and returns one
    answer for each, in order; an exception it raises reaches every coroutine that asked.

    `window` (seconds) is how long the first ask of a call waits for others to join it: asks
    that trickle in (one message read from Redis at a time) then share a call instead of each
    making its own, at the cost of that much delay for the first."""

    def __init__(self, answer_all: Callable[[list], list], *, window: float = 0) -> None:
        self.answer_all = answer_all
        self.window = window
        self._batches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def __call__(self, item):
        loop = asyncio.get_running_loop()
        if loop not in self._batches:
            self._batches[loop] = _Batches(self.answer_all, self.window)
        return await self._batches[loop].ask(item)


class _Batches:
    """One event loop's asks: those waiting, and the task that answers them."""

    def __init__(self, answer_all: Callable[[list], list], window: float) -> None:
        self.answer_all = answer_all
        self.window = window
        self.waiting: list[tuple[object, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def ask(self, item):
        answer = asyncio.get_running_loop().create_future()
        self.waiting.append((item, answer))
        if self.task is None:
            self.task = asyncio.create_task(self._answer_all())
        return await answer

    async def _answer_all(self) -> None:
        try:
            while self.waiting:
                await asyncio.sleep(self.window)  # the asks arriving together are all in first
                asking, self.waiting = self.waiting, []
                try:
                    answers = await database_sync_to_async(self.answer_all)(
                        [item for item, _ in asking]
                    )
                except Exception as error:  # noqa: BLE001 — each asker's own to handle
                    for _item, answer in asking:
                        if not answer.done():
                            answer.set_exception(error)
                    continue
                for (_item, answer), result in zip(asking, answers, strict=True):
                    if not answer.done():  # an asker that was cancelled meanwhile
                        answer.set_result(result)
        finally:
            self.task = None
