"""The import part of `make bench` (scripts/bench.py): `BENCH_IMPORT_FILES` release files,
text and Word mixed, through `manage.py import_releases`, rolled back afterwards. Issue 16 asks
for 1,000 files in under 30 s; `IMPORT_SECONDS_PER_FILE` is that budget per file."""

from __future__ import annotations

import io
import time
from pathlib import Path

# The import's budget: 30 s for 1,000 files (issue 16), per file.
IMPORT_SECONDS_PER_FILE = 0.03


def time_import(files: int, workdir: Path) -> float:
    """Seconds to import `files` distinct release files, every second one a Word document
    (.docx); the articles are rolled back."""
    from django.core.management import call_command
    from django.db import transaction

    from demo.loader import SAMPLE_FILE
    from releases.word_export import release_text_as_docx

    folder = workdir / "releases"
    folder.mkdir()
    text = SAMPLE_FILE.read_text(encoding="utf-8")
    headline = "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS"
    for number in range(files):
        body = text.replace(headline, f"{headline} (Bench {number})")
        if number % 2:
            (folder / f"release-{number:04}.docx").write_bytes(release_text_as_docx(body))
        else:
            (folder / f"release-{number:04}.txt").write_text(body, encoding="utf-8")
    started = time.perf_counter()
    with transaction.atomic():
        call_command("import_releases", str(folder), stdout=io.StringIO())
        transaction.set_rollback(True)
    return time.perf_counter() - started
