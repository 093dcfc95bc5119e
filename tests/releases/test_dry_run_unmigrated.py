"""`import_releases --dry-run` on a database that `migrate` has not set up (issue 16): the files
are read all the same, and an import without --dry-run says in German to run `migrate` first,
instead of ending in `no such table`.

The command runs in a process of its own with DATABASE_URL naming an empty SQLite file, as an
administrator would run it on a fresh checkout; the test database of pytest-django is migrated
and cannot show this."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "import_cases"


def run_command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`manage.py import_releases ARGS` against an empty SQLite file in `tmp_path`."""
    database = tmp_path / "empty.sqlite3"
    database.touch()
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    environment |= {
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "import_releases", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_dry_run_reads_the_files_on_a_database_that_is_not_migrated(tmp_path):
    result = run_command(
        tmp_path, "--dry-run", "--json", str(CASES / "k06_sperrfrist-nur-uhrzeit.txt")
    )

    assert result.returncode == 0, result.stderr
    assert "no such table" not in result.stderr
    [parsed] = json.loads(result.stdout)
    assert parsed["title"] == "Arbeitslosigkeit sinkt leicht"
    assert parsed["embargo"] == "2022-03-01T10:00:00+01:00"
    assert parsed["uncertain"] == ["embargo"]
    # Said, not hidden: nothing was compared with existing articles and persons.
    assert "migrate" in result.stderr
    assert "noch nicht eingerichtet" in result.stderr


def test_an_import_on_a_database_that_is_not_migrated_asks_for_migrate_in_german(tmp_path):
    result = run_command(tmp_path, str(CASES / "k01_datum-mit-uhrzeit.txt"))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no such table" not in result.stderr
    assert "Bitte zuerst „python manage.py migrate“ ausführen." in result.stderr
