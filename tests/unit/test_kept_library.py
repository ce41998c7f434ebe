"""The library kept for a start with the same routine files (issue 14: with 500 user files,
parsing them was a third of the time to the first frame). It must never be stale: any
change of a file's bytes, of the files, or of the loading code is parsed afresh, and a
kept file that is damaged or is not a file at all only costs a parse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mobility_coach.core.paths import Paths
from mobility_coach.core.routines import kept_library, loader
from mobility_coach.core.routines.loader import Library, load_all
from mobility_coach.core.yamlnodes import Node

ROUTINE = """\
routines:
  mine:
    name: {name}
    summary: S.
    steps:
      - {{exercise: cat-cow, hold: 30s}}
"""


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(tmp_path / "home")})
    paths.routines_dir.mkdir(parents=True)
    (paths.routines_dir / "mine.yaml").write_text(ROUTINE.format(name="Mine"))
    return paths


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files each loading parsed."""
    counts: list[int] = []
    real_parse, real_tree = loader._parse, loader.parse_tree

    def counted_parse(*args: object) -> Library:
        counts.append(0)
        return real_parse(*args)  # type: ignore[arg-type]

    def counted_tree(data: bytes) -> Node | None:
        counts[-1] += 1
        return real_tree(data)

    monkeypatch.setattr(loader, "_parse", counted_parse)
    monkeypatch.setattr(loader, "parse_tree", counted_tree)
    return counts


def test_a_start_with_the_same_files_parses_none_and_gets_the_same_library(paths: Paths, parses: list[int]) -> None:
    first = load_all(paths)
    assert len(parses) == 1 and parses[0] > 1 and paths.library_file.is_file()
    again = load_all(paths)
    assert len(parses) == 1  # read back, not parsed
    assert again == first and again is not first
    assert again.routines["mine"].name == "Mine"


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen(paths: Paths, parses: list[int]) -> None:
    load_all(paths)
    file = paths.routines_dir / "mine.yaml"
    before = file.stat()
    file.write_text(ROUTINE.format(name="Tine"))  # same length
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    assert load_all(paths).routines["mine"].name == "Tine"
    assert len(parses) == 2


def test_a_new_removed_or_broken_file_is_parsed_afresh_with_its_problems(paths: Paths, parses: list[int]) -> None:
    load_all(paths)
    broken = paths.routines_dir / "broken.yaml"
    broken.write_text("routines: [")
    with_problem = load_all(paths)
    assert [p.path for p in with_problem.problems] == [broken]
    assert load_all(paths).problems == with_problem.problems  # kept with its problems
    broken.unlink()
    assert load_all(paths).problems == []
    assert len(parses) == 3


def test_other_loading_code_is_a_new_key(paths: Paths, parses: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    load_all(paths)
    monkeypatch.setattr(kept_library, "_code_version", b"another version of the loader")
    load_all(paths)
    assert len(parses) == 2


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "folder", "fifo", "unwritable"],
)
def test_a_damaged_or_odd_kept_file_costs_only_a_parse(paths: Paths, parses: list[int], damage: str) -> None:
    expected = load_all(paths)
    kept = paths.library_file
    data = kept.read_bytes()
    kept.unlink()
    if damage == "garbage":
        kept.write_bytes(data[: kept_library.KEY_BYTES] + b"not a pickle at all")
    elif damage == "truncated":
        kept.write_bytes(data[: len(data) // 2])  # the key is right; the rest was torn
    elif damage == "folder":
        kept.mkdir()
    elif damage == "fifo":
        os.mkfifo(kept)  # never opened for a writer: reading it must not wait
    else:
        kept.parent.rmdir()
        kept.parent.write_text("a file where the cache folder should be")  # unwritable, even for root
    assert load_all(paths) == expected
    assert load_all(paths) == expected
    rewritten = damage != "folder" and damage != "unwritable"  # else parsed each time
    assert len(parses) == (2 if rewritten else 3)


def test_keys_tell_apart_what_concatenation_would_not() -> None:
    assert kept_library.key_of([b"ab", b"c"]) != kept_library.key_of([b"a", b"bc"])
    assert kept_library.key_of(["file 1 x", b""]) != kept_library.key_of(["file 1 x"])


def test_a_start_with_the_library_kept_and_no_settings_file_never_imports_yaml(paths: Paths) -> None:
    # PyYAML costs some 7 ms to import; such a start parses nothing. Fresh interpreters:
    # the first start keeps the library, the second reads it back.
    code = textwrap.dedent("""
        import sys
        from mobility_coach.core.config import load_settings
        from mobility_coach.core.paths import Paths
        from mobility_coach.core.routines.loader import load_all
        from mobility_coach.core.yamlnodes import load_parser
        paths = Paths.from_environment({"MOBILITY_COACH_HOME": sys.argv[1]})
        load_settings(paths.config_file, load_all(paths).routines)
        print("yaml" in sys.modules, end=" ")
        load_parser()  # as the app does a second after its first frame
        print("yaml" in sys.modules)
    """)
    home = str(paths.config_dir.parent)
    runs = [
        subprocess.run([sys.executable, "-c", code, home], capture_output=True, text=True, timeout=60) for _ in "12"
    ]
    assert [run.stdout.strip() for run in runs] == ["True True", "False True"], [run.stderr for run in runs]
