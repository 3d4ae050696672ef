"""``preview:`` / ``preview:///abs/dir`` — no printer: write each job to disk.

The default transport, so a fresh install "prints" without hardware: every job
becomes ``<job_name>.bin`` (the exact bytes a printer would get) and
``<job_name>.png`` (those bytes decoded back to paper by ``printer.raster``).
"""
from __future__ import annotations

import itertools
import os
import re
import time
from pathlib import Path

from printer.errors import PrinterError
from printer.raster import paper_image
from printer.transports.base import Transport

DEFAULT_DIR = "instance/printed"
_counter = itertools.count(1)


class PreviewTransport(Transport):
    """Writes jobs as files under ``directory`` (created on first use)."""

    def __init__(self, directory: str | os.PathLike = DEFAULT_DIR, width_dots: int = 512, url: str = "") -> None:
        self.directory = Path(directory)
        self.width_dots = width_dots
        self.url = url or f"preview:{self.directory}"

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Write ``<job_name>.bin`` and ``<job_name>.png``; raise PrinterError if the disk refuses."""
        name = _safe_name(job_name) if job_name else f"job-{time.strftime('%Y%m%d-%H%M%S')}-{next(_counter)}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            picture = paper_image(data, self.width_dots)
            # PNG first, .bin last: a watcher that waits for .bin finds both complete.
            picture.save(self.directory / f"{name}.png")
            tmp = self.directory / f".{name}.bin.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.directory / f"{name}.bin")
        except (OSError, ValueError) as exc:
            raise PrinterError(f"preview could not write job {name!r} to {self.directory}: {exc}") from exc

    def status(self) -> dict:
        """Online when the folder can be written; there is no paper to report."""
        existing = self.directory.absolute()
        while not existing.exists():  # mkdir(parents=True) will create the rest
            existing = existing.parent
        writable = existing.is_dir() and os.access(existing, os.W_OK)
        return {"online": writable, "paper": "unknown"}

    def paths(self, job_name: str) -> tuple[Path, Path]:
        """Return the (.bin, .png) paths a job named ``job_name`` is written to."""
        name = _safe_name(job_name)
        return self.directory / f"{name}.bin", self.directory / f"{name}.png"


def _safe_name(job_name: str) -> str:
    # Job names come from ticket numbers and ids; never let one escape the folder.
    return re.sub(r"[^A-Za-z0-9._-]+", "_", job_name).strip("._") or "job"
