"""The leaders' home screen computed before anyone opens it.

At 1M dossiers the Overview's figures take seconds to compute; the first leader of the
day should not be the one who waits. When the server starts (`serve.py`), and again
every `warm_seconds`, a background thread asks the shared store (`ui.data`) for every
figure the Overview of the whole ministry shows in its default period. A visit then
finds them there, marked with the moment they describe, and the store's own background
refresh brings them up to the minute.

`overview_default` is the Overview's list of shared computations for one view; the test
`tests/test_warmup.py` checks that an Overview opened after it computes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from data_access import settings
from data_access.model import Period
from data_access.periods import DEFAULT_PRESET, comparisons, preset

from . import data

log = logging.getLogger(__name__)

# The attention panel's lists (ui.attention.TOP) and the due-soon horizon.
TOP = 5
DUE_DAYS = 7


def overview_default(period: Period, unit: str | None, as_of: dt.datetime) -> int:
    """Fill the shared store with everything the Overview draws for this view, as a
    leader sees it; returns how many of those computations reported a failed source."""
    # The cards compare with the previous period and the same period last year (each as of
    # the same elapsed point): both are computed here too.
    compared = list(comparisons(period, as_of).values())
    outcomes = [data.unit_names.within(), data.procedure_catalogue.within()]
    for domain in ("procedures", "tasks"):
        outcomes.append(data.domain_figures.within(period.start, period.end, unit, domain, as_of=as_of))
        for c in compared:
            outcomes.append(data.domain_figures.within(c.period.start, c.period.end, unit, domain, as_of=c.as_of))
    outcomes.append(data.procedure_trend.within(unit, as_of=as_of))
    outcomes.append(data.task_trend.within(unit, as_of=as_of))
    outcomes.append(data.emulation_summary.within(period.start, period.end, as_of=as_of))
    for c in compared:
        outcomes.append(data.emulation_summary.within(c.period.start, c.period.end, as_of=c.as_of))
    outcomes.append(data.breakdown.within(period.start, period.end, unit, "procedures", "procedure", as_of=as_of))
    outcomes.append(data.tasks_due.within(unit, DUE_DAYS, TOP, as_of=as_of))
    outcomes.append(data.tasks_due_by_unit.within(unit, DUE_DAYS, as_of=as_of))
    return sum(1 for o in outcomes if not o.ok)


def warm_once() -> None:
    """The whole ministry's Overview in the default period, as of now."""
    as_of = data.as_of_now()
    started = time.perf_counter()
    failed = overview_default(preset(DEFAULT_PRESET, as_of.date()), None, as_of)
    if failed:
        log.warning("warm-up: %d of the Overview's computations found a source down", failed)
    log.info("warm-up: the ministry's Overview as of %s ready in %.1f s", as_of, time.perf_counter() - started)


class Warmer:
    """A daemon thread that warms the default view now and then every `interval` s."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="ioc-warmup", daemon=True)

    def start(self) -> "Warmer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _run(self) -> None:
        try:
            data.ensure_demo_data()
        except Exception:   # the first visit says what went wrong, on its page
            log.exception("warm-up: the demo data could not be generated")
            return
        while not self.stopped.is_set():
            try:
                warm_once()
            except Exception:
                # A warm-up that fails costs only its head start: the pages compute and
                # report for themselves.
                log.exception("warm-up failed")
            if self.interval <= 0 or self.stopped.wait(self.interval):
                return


def start() -> Warmer | None:
    """Start warming unless `warm_seconds` is 0 (then nothing runs before a visit)."""
    interval = settings.get("warm_seconds")
    if interval <= 0:
        return None
    return Warmer(interval).start()
