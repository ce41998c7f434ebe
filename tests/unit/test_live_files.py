"""Edits to config.yaml and the routine files reach a running face: applied when good,
reported (and the last good kept) when broken, and silent when nothing changed."""

from __future__ import annotations

import os
from pathlib import Path

from mobility_coach.core.config import load_settings
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from tests.bounded import within

ROUTINE = """\
routines:
  {id}:
    name: {name}
    summary: A test routine.
    tags: [desk]
    steps:
      - exercise: cat-cow
        reps: {reps}
"""


def edit(path: Path, text: str) -> None:
    """Write ``text`` and move the file's time on by a second: two writes within one tick
    of the file system's clock would otherwise look the same, and tests do not wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    later = max(before, path.stat().st_mtime_ns) + 1_000_000_000
    os.utime(path, ns=(later, later))


def live(home: Path) -> tuple[LiveFiles, Paths]:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    library = load_all(paths)
    settings, problems = load_settings(paths.config_file, library.routines)
    return LiveFiles(paths, settings, problems, library), paths


def test_nothing_changed_is_no_reload(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    assert files.check() is None
    edit(paths.config_file, "reminders:\n  every: 1h\n")  # the defaults, written out
    assert files.check() is None  # read again, but nothing to say


def test_a_good_settings_edit_applies(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    edit(paths.config_file, "reminders:\n  every: 1m\nsound: false\n")
    reload = files.check()
    assert reload is not None and reload.settings_changed and not reload.library_changed
    assert [n.text for n in reload.notices] == ["Settings reloaded"]
    assert files.settings.reminders.every == 60 and files.settings.sound is False
    assert files.check() is None


def test_a_broken_settings_edit_keeps_the_last_good_settings_whole(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    edit(paths.config_file, "reminders:\n  every: 2m\n")
    files.check()
    good = files.settings
    # One good change, one bad: neither applies, as the user never wrote that mixture.
    edit(paths.config_file, "reminders:\n  every: 5m\n  snooze: often\n")
    reload = files.check()
    assert reload is not None and not reload.settings_changed and reload.problems_changed
    assert files.settings is good
    (notice,) = reload.notices
    assert notice.problem and notice.text == "config.yaml has a problem; the last good settings stay in force"
    assert notice.detail.startswith(f"{paths.config_file}:3:11: reminders.snooze: ")
    assert files.settings_problems and files.settings_problems[0].line == 3
    # Fixed again: applied, and the problems are gone.
    edit(paths.config_file, "reminders:\n  every: 5m\n")
    reload = files.check()
    assert reload is not None and reload.settings_changed and files.settings.reminders.every == 300
    assert files.settings_problems == []


def test_broken_yaml_in_the_settings_is_reported_once(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    edit(paths.config_file, "reminders: [\n")
    reload = files.check()
    assert reload is not None and reload.notices[0].problem
    edit(paths.config_file, "reminders: [\n")  # saved again, still the same problem
    assert files.check() is None


def test_a_routine_edit_and_a_new_file_are_counted(tmp_path: Path) -> None:
    routines = tmp_path / "config" / "routines"
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    files, _ = live(tmp_path)
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=8))
    edit(routines / "more.yaml", ROUTINE.format(id="more", name="More", reps=5))
    reload = files.check()
    assert reload is not None and reload.library_changed and not reload.settings_changed
    assert [n.text for n in reload.notices] == ["Routines reloaded: 1 added, 1 changed"]
    assert files.library.routines["mine"].steps[0].reps == 8
    (routines / "more.yaml").unlink()
    reload = files.check()
    assert reload is not None and [n.text for n in reload.notices] == ["Routines reloaded: 1 removed"]


def test_a_broken_routine_file_keeps_its_last_good_routines(tmp_path: Path) -> None:
    routines = tmp_path / "config" / "routines"
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    files, _ = live(tmp_path)
    good = files.library.routines["mine"]
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps="lots"))
    reload = files.check()
    assert reload is not None
    assert files.library.routines["mine"] is good
    (notice,) = reload.notices
    assert notice.problem and notice.text == "mine.yaml has a problem; its last good routines stay in force"
    assert notice.detail.startswith(f"{routines / 'mine.yaml'}:8:15: ")
    assert files.library.problems  # Ctrl+R lists them
    edit(routines / "mine.yaml", "routines: [\n")  # worse still: not even YAML
    files.check()
    assert files.library.routines["mine"] is good
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=9))
    reload = files.check()
    assert reload is not None and [n.text for n in reload.notices] == ["Routines reloaded: 1 changed"]
    assert files.library.routines["mine"].steps[0].reps == 9 and not files.library.problems


def test_a_broken_user_file_that_replaced_a_builtin_keeps_replacing_it(tmp_path: Path) -> None:
    routines = tmp_path / "config" / "routines"
    edit(routines / "desk.yaml", ROUTINE.format(id="desk-break", name="My desk break", reps=5))
    files, _ = live(tmp_path)
    edit(routines / "desk.yaml", "routines: [\n")
    files.check()
    assert files.library.routines["desk-break"].name == "My desk break"


def test_new_routines_may_fix_the_suggested_routine(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    edit(paths.config_file, "reminders:\n  suggested_routine: mine\n")
    reload = files.check()
    assert reload is not None and reload.notices[0].problem  # no such routine yet
    edit(paths.routines_dir / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    reload = files.check()
    assert reload is not None and reload.settings_changed
    assert files.settings.reminders.suggested_routine == "mine" and files.settings_problems == []
    assert [n.text for n in reload.notices] == ["Routines reloaded: 1 added", "Settings reloaded"]


def test_a_fifo_or_a_folder_put_in_place_of_a_file_is_reported_without_hanging(tmp_path: Path) -> None:
    files, paths = live(tmp_path)
    good = files.settings
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    os.mkfifo(paths.config_file)  # a plain open() would wait for a writer forever
    os.mkfifo(paths.routines_dir.parent / "routines.yaml")  # not in the routines folder: not watched
    paths.routines_dir.mkdir()
    os.mkfifo(paths.routines_dir / "pipe.yaml")
    reload = within(10, files.check, "a check with FIFOs in place of files")
    assert reload is not None and files.settings is good
    assert any(n.problem and n.text.startswith("config.yaml has a problem") for n in reload.notices)
    assert any(p.path == paths.routines_dir / "pipe.yaml" for p in files.library.problems)
    assert within(10, files.check, "a second check") is None


def test_routines_not_read_yet_are_read_as_they_are_when_first_needed(tmp_path: Path) -> None:
    """The headless reminder reads the routines only when a break needs them: an edit
    before then is no news, and the first look finds the routines as edited; from then on,
    edits are news as usual."""
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(tmp_path)})
    settings, problems = load_settings(paths.config_file)
    files = LiveFiles(paths, settings, problems, None)
    edit(paths.routines_dir / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    assert files.check() is None
    assert files.library.routines["mine"].steps[0].reps == 5
    edit(paths.routines_dir / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=8))
    reload = files.check()
    assert reload is not None and [n.text for n in reload.notices] == ["Routines reloaded: 1 changed"]
