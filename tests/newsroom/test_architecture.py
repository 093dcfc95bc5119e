"""The layout keeps its promises (README "Architecture"): dependencies run one way, each rule
is written once, and no module grows past what a reader can hold."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROOMS = [
    "press",
    "public",
    "releases",
    "accounts",
    "demo",
    "mailing",
    "desk",
    "notifications",
    "distribution",
]
# What each room may import of the others; `newsroom` (the project) may import all of them.
ALLOWED = {
    "press": set(),
    # The public site; its article PDF is the releases room's export (one document for all).
    "public": {"press", "releases"},
    "releases": {"press"},
    "accounts": {"press", "mailing"},
    "demo": {"press", "releases"},
    # Mail that leaves the newsroom: used by the others, uses none of them.
    "mailing": set(),
    # The editors' start page in the admin: reads the press room.
    "desk": {"press"},
    # Workflow e-mails: listens to the press room's history, sends through mailing.
    "notifications": {"press", "mailing"},
    # The distribution list: listens to the press room's history, sends through mailing.
    "distribution": {"press", "mailing"},
}


def python_files(folder: Path):
    return [
        path
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def imported_rooms(path: Path) -> set[str]:
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        rooms.update(name.split(".")[0] for name in names if name.split(".")[0] in ROOMS)
    return rooms


@pytest.mark.parametrize("room", ROOMS)
def test_dependencies_run_one_way(room):
    for path in python_files(ROOT / room):
        foreign = imported_rooms(path) - ALLOWED[room] - {room}
        assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"


def test_no_module_outside_tests_and_migrations_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): length
        for folder in [*ROOMS, "newsroom", "scripts"]
        for path in python_files(ROOT / folder)
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not too_long


def test_the_public_rule_is_written_once():
    places = [
        str(path.relative_to(ROOT))
        for folder in [*ROOMS, "newsroom"]
        for path in python_files(ROOT / folder)
        if "publish_at__lte" in path.read_text(encoding="utf-8")
    ]
    assert places == ["press/workflow.py"]
