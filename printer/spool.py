"""Background delivery of print jobs with retries. No database: the caller
persists job state from the ``on_result`` callbacks; the spooler only delivers.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintJob:
    """Finished printer bytes plus the id the caller tracks them by.

    ``name`` labels the job for transports that show one (preview file name,
    CUPS title); it defaults to ``str(job_id)``.
    """

    job_id: Hashable
    data: bytes
    name: str | None = None

    @property
    def job_name(self) -> str:
        return self.name or str(self.job_id)


Deliver = Callable[[PrintJob], None]
OnResult = Callable[[Hashable, bool, "str | None", int], None]


class Spooler:
    """One daemon thread delivering jobs in submission order, retrying failures.

    ``deliver(job)`` sends a job and raises on failure (e.g.
    ``lambda job: transport.send(job.data, job.job_name)``). After every attempt
    the spooler calls ``on_result(job_id, ok, error, attempt)``:

    * ``ok=True``: delivered on that attempt (final);
    * ``ok=False`` with ``attempt < max_attempts``: failed, will be retried after
      ``backoff[attempt - 1]`` seconds (progress);
    * ``ok=False`` with ``attempt == max_attempts``: given up (final).

    Jobs are strictly first-in first-out: while the head job waits to be retried,
    later jobs wait too, so tickets come out in the order they were issued and a
    dead printer is not hammered by every queued job.
    """

    def __init__(self, deliver: Deliver, on_result: OnResult, retries: int = 5,
                 backoff: Sequence[float] = (1, 2, 4, 8, 16), name: str = "printer-spooler") -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        if retries and not backoff:
            raise ValueError("backoff needs at least one delay when retries > 0")
        self._deliver, self._on_result = deliver, on_result
        self.retries, self.backoff = retries, tuple(backoff)
        self._queue: deque[PrintJob] = deque()
        self._ids: set[Hashable] = set()  # queued or being delivered
        self._cond = threading.Condition()
        self._stopping = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def max_attempts(self) -> int:
        """Attempts made before a job is given up: 1 + retries."""
        return self.retries + 1

    def submit(self, job: PrintJob) -> bool:
        """Queue ``job``; return False (and queue nothing) if its id is already pending.

        Idempotent so a double-click on "reprint" or a caller resubmitting its
        unfinished jobs after a restart never prints one ticket twice.
        """
        with self._cond:
            if self._stopping:
                raise RuntimeError("spooler is stopped")
            if job.job_id in self._ids:
                return False
            self._ids.add(job.job_id)
            self._queue.append(job)
            self._cond.notify_all()
            return True

    def pending(self) -> int:
        """Number of jobs queued or being delivered."""
        with self._cond:
            return len(self._ids)

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job reached a final outcome; False on timeout."""
        with self._cond:
            # _busy too: the last job's on_result has run by the time drain returns.
            return self._cond.wait_for(lambda: not self._ids and not self._busy, timeout)

    def stop(self, timeout: float = 5.0) -> list[Hashable]:
        """Stop the thread (waking it from a backoff) and return the undelivered job ids.

        A job already being sent finishes its attempt first. The caller still has
        the undelivered jobs as "pending" in its own store and can resubmit them
        to a new spooler.
        """
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)
        with self._cond:
            left = [job.job_id for job in self._queue]
            self._queue.clear()
            self._ids.clear()
            self._cond.notify_all()
            return left

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._stopping)
                if self._stopping:
                    return
                job = self._queue[0]
                self._busy = True
            stopped = self._attempt_until_final(job)
            with self._cond:
                self._busy = False
                self._cond.notify_all()
            if stopped:
                return

    def _attempt_until_final(self, job: PrintJob) -> bool:
        """Deliver the head job with retries; return True if the spooler was stopped."""
        attempt = 0
        while True:
            attempt += 1
            try:
                self._deliver(job)
            except Exception as exc:  # any driver error is a failed attempt, never a dead thread
                error = f"{type(exc).__name__}: {exc}"
                final = attempt >= self.max_attempts
                if final:
                    self._finish(job)
                self._report(job, False, error, attempt)
                if final:
                    return False
                delay = self.backoff[min(attempt - 1, len(self.backoff) - 1)]
                with self._cond:
                    # Sleep on the condition so stop() cuts the backoff short.
                    if self._cond.wait_for(lambda: self._stopping, delay):
                        return True
                continue
            self._finish(job)
            self._report(job, True, None, attempt)
            return False

    def _finish(self, job: PrintJob) -> None:
        # Drop the id before reporting, so on_result may resubmit (e.g. a reprint).
        with self._cond:
            if self._queue and self._queue[0] is job:
                self._queue.popleft()
            self._ids.discard(job.job_id)
            self._cond.notify_all()

    def _report(self, job: PrintJob, ok: bool, error: str | None, attempt: int) -> None:
        try:
            self._on_result(job.job_id, ok, error, attempt)
        except Exception:  # the caller's bookkeeping must not stop printing
            log.exception("on_result failed for print job %r", job.job_id)
