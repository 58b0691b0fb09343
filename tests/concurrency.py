"""Running writes at the same moment, as two tabs or a double submit do."""

import threading

from django.db import connection


def at_once(*calls) -> list:
    """Run each call in its own thread, all released together; return what each returned or
    raised, in order. Needs a test with transaction=True, so that the threads see the data."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 — returned for the test to assert on
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
