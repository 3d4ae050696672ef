"""Ticket printing benchmark: render time per ticket and bytes per job.

    python bench/bench_printer.py [--tickets 200]

Prints mean / p50 / p99 of render_ticket and of build_job (render + ESC/POS
encoding) over varied tickets, and the job size, at 58 mm (384 dots) and 80 mm
(512, 576 dots). Targets: < 30 ms per ticket, < 20 KB per job at 80 mm.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from printer import TicketValue, build_job, render_ticket  # noqa: E402

PAPERS = [(384, "default", "58 mm"), (512, "TM-T88V", "80 mm"), (576, "TM-T20II", "80 mm")]
SERVICES = [
    ("Đăng ký khai sinh – Hộ tịch", "Birth registration – Civil status"),
    ("Chứng thực bản sao từ bản chính", "Certified copies"),
    ("Cấp phiếu lý lịch tư pháp", None),
    ("Đất đai – Xây dựng", "Land and construction"),
]


def tickets(count: int) -> list[TicketValue]:
    """Varied tickets: numbers, services, priority on every 5th, waits, some footers."""
    start = datetime(2025, 3, 14, 7, 30, tzinfo=timezone(timedelta(hours=7)))
    out = []
    for n in range(count):
        vi, en = SERVICES[n % len(SERVICES)]
        out.append(TicketValue(
            office_name="UBND Phường Bến Nghé – Quận 1", service_name_vi=vi, service_name_en=en,
            number=f"{'ABCD'[n % 4]}{n + 1:03d}", issued_at=start + timedelta(minutes=n),
            ahead=n % 40, estimated_wait_s=None if n % 7 == 0 else (n % 40) * 180,
            priority=n % 5 == 0, track_url=f"https://queue.example.vn/t/{n:08x}Q7mPz",
            footer="Vui lòng giữ phiếu. Cảm ơn quý khách!" if n % 2 else "",
        ))
    return out


def timed(fn, items) -> tuple[list[float], list]:
    times, results = [], []
    for item in items:
        t0 = time.perf_counter()
        results.append(fn(item))
        times.append((time.perf_counter() - t0) * 1000)
    return times, results


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return f"mean {statistics.fmean(ms):5.1f}  p50 {p(0.50):5.1f}  p99 {p(0.99):5.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args()
    batch = tickets(args.tickets)
    print(f"python {platform.python_version()} on {platform.machine()}, {args.tickets} tickets per row")
    for width, profile, paper in PAPERS:
        render_ticket(batch[0], width)  # warm the font cache, as a running server would be
        render_ms, _ = timed(lambda t: render_ticket(t, width), batch)
        job_ms, jobs = timed(lambda t: build_job(t, width_dots=width, profile=profile), batch)
        sizes = sorted(len(j) for j in jobs)
        full = len(build_job(batch[0], width_dots=width, profile=profile, compact=False))
        text = len(build_job(batch[0], width_dots=width, profile=profile, mode="text"))
        print(f"{paper} {width} dots ({profile})")
        print(f"  render_ticket  {summary(render_ms)}")
        print(f"  build_job      {summary(job_ms)}")
        print(f"  bytes per job  mean {statistics.fmean(sizes) / 1024:4.1f} KB  max {sizes[-1] / 1024:4.1f} KB"
              f"  (compact=False {full / 1024:.1f} KB, text mode {text / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
