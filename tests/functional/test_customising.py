"""Customising without dead ends: the exercise library, validate, new, and wrong options."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import write
from tests.functional.test_cli import user_routine

MY_EXERCISES = """
exercises:
  wall-angel:
    name: Wall angel
    position: standing
    cues: [Slide your arms up the wall.]
  cat-cow:
    name: My cat-cow
    position: floor
    cues: [Slowly.]
    cautions: [Stop if it pinches.]
    about: My physio's version.
    source: My physio
"""


def test_exercises_lists_the_library_with_where_each_comes_from(cli, home: Path) -> None:
    write(home / "config" / "routines", "mine.yaml", MY_EXERCISES)
    result = cli("exercises")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "POSITION", "FROM"]
    rows = {line.split()[0]: line for line in lines[1:] if line and not line.startswith(("In a", "One"))}
    assert rows["open-book"].split()[-1] == "built-in" and " Open book " in rows["open-book"]
    assert rows["wall-angel"].split()[-2:] == ["standing", "user"]
    assert rows["cat-cow"].rstrip().endswith("user, replaces built-in")
    assert "mobility-coach show ID" in result.out


def test_exercises_json_has_everything_a_routine_writer_needs(cli, home: Path) -> None:
    write(home / "config" / "routines", "mine.yaml", MY_EXERCISES)
    data = json.loads(cli("exercises", "--json").out)
    by_id = {e["id"]: e for e in data["exercises"]}
    assert by_id["seated-twist"]["used_by"] == ["crack-swap", "desk-break"]
    assert by_id["seated-twist"]["origin"] == "built-in" and by_id["seated-twist"]["cautions"]
    assert by_id["cat-cow"]["replaces"].endswith("exercises.yaml") and by_id["cat-cow"]["source"] == "My physio"
    assert by_id["wall-angel"]["used_by"] == [] and data["problems"] == []


def test_show_accepts_an_exercise_id(cli) -> None:
    result = cli("show", "open-book")
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith("Open book (open-book), built-in\nPosition: floor\n")
    assert "Cues:\n  1. " in text and "Cautions:\n  - Stop if" in text and "Source: " in text
    assert "Used by: floor-mobility, stiff-back-start" in text
    versions = "Versions: off floor: wall-open-book; osteoporosis: doorway-chest-opener\n"
    assert "You need: a mat, a pillow or folded towel\n" + versions in text
    data = json.loads(cli("show", "open-book", "--json").out)
    assert data["id"] == "open-book" and data["about"] and data["used_by"] == ["floor-mobility", "stiff-back-start"]
    assert data["variants"] == {"off_floor": "wall-open-book", "osteoporosis": "doorway-chest-opener"} and data[
        "areas"
    ] == ["upper back", "shoulders"]


def test_show_suggests_among_routines_and_exercises(cli) -> None:
    result = cli("show", "open-bok")
    assert result.code == 2 and "did you mean 'open-book'?" in result.err


def test_the_starter_points_at_the_exercise_list(cli, home: Path) -> None:
    path = Path(cli("new", "Afternoon reset").out.strip())
    text = path.read_text()
    assert "mobility-coach exercises" in text
    ids = re.findall(r"- exercise: ([a-z0-9-]+)", text)
    listed = cli("exercises").out
    assert ids and all(f"\n{exercise_id} " in listed for exercise_id in ids)


def check_line(starter: str) -> list[str]:
    """The command the starter file tells the user to check it with."""
    lines = starter.splitlines()
    at = next(i for i, line in enumerate(lines) if "check it" in line)
    command = next(line.lstrip("# ").strip() for line in lines[at:] if "mobility-coach validate" in line)
    assert command.startswith("mobility-coach validate "), command
    return command.split()[1:]


def test_the_starters_check_line_works_from_any_folder(
    cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(cli("new", "Afternoon reset").out.strip())
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    args = check_line(path.read_text())
    assert cli(*args).out.startswith("ok: 1 file(s), 1 routine(s) checked: afternoon-reset")
    # It checks the file even when a mistake keeps the routine from loading at all.
    path.write_text(path.read_text().replace("reps: 6", "repz: 6"))
    broken = cli(*args)
    assert broken.code == 1 and broken.out.startswith(f"{path}:") and "did you mean 'reps'?" in broken.out


def test_validate_with_an_unknown_id_suggests_one(cli) -> None:
    result = cli("validate", "desk-brek")
    assert result.code == 1 and "no such file, folder or routine id; did you mean 'desk-break'?" in result.out


@pytest.mark.parametrize(
    "layout", ["missing", "empty-folder", "missing-and-good", "same-file-twice", "unknown-id", "bad-and-missing"]
)
def test_validate_counts_never_say_more_bad_than_looked_at(cli, tmp_path: Path, layout: str) -> None:
    good = write(tmp_path, "good.yaml", user_routine())
    bad = write(tmp_path, "bad.yaml", "routines: [\n")
    (tmp_path / "empty").mkdir()
    args = {
        "missing": [str(tmp_path / "nope.yaml")],
        "empty-folder": [str(tmp_path / "empty")],
        "missing-and-good": [str(tmp_path / "nope.yaml"), str(good)],
        "same-file-twice": [str(bad), str(bad)],
        "unknown-id": ["no-such-routine"],
        "bad-and-missing": [str(bad), str(tmp_path / "nope")],
    }[layout]
    result = cli("validate", *args)
    assert result.code == 1
    counts = re.fullmatch(r"(\d+) problem\(s\) in (\d+) of (\d+) (file|path)\(s\)\n", result.err)
    assert counts is not None, result.err
    problems, bad_count, looked_at = (int(n) for n in counts.groups()[:3])
    assert problems == len(result.out.splitlines()) >= 1
    assert 1 <= bad_count <= looked_at, result.err
    assert looked_at == len({a for a in args}), result.err


def test_validate_of_an_empty_routines_folder_says_so(cli, home: Path) -> None:
    (home / "config" / "routines").mkdir(parents=True)
    result = cli("validate")
    assert result.code == 0 and result.out.startswith("No routine files in ")


def test_new_refuses_to_replace_a_builtin_without_replace(cli, home: Path) -> None:
    result = cli("new", "Désk break")
    assert result.code == 1 and result.out == ""
    assert "the id of the built-in routine 'Hourly desk break'" in result.err
    assert "mobility-coach new 'Désk break' --replace" in result.err
    assert not (home / "config" / "routines" / "desk-break.yaml").exists()
    assert cli("show", "desk-break").out.startswith("Hourly desk break (desk-break), built-in")


def test_new_refuses_to_overwrite_and_replace_keeps_the_old_file(cli, home: Path) -> None:
    path = Path(cli("new", "Afternoon reset").out.strip())
    path.write_text(path.read_text().replace("My own movement break.", "Edited by hand."))
    edited = path.read_text()
    again = cli("new", "Afternoon reset")
    assert again.code == 1 and "already exists" in again.err and "--replace" in again.err
    assert path.read_text() == edited
    replaced = cli("new", "Afternoon reset", "--replace")
    assert replaced.code == 0 and "Edited by hand." not in path.read_text()
    assert (path.parent / "afternoon-reset.yaml.bak").read_text() == edited
    assert "kept as" in replaced.err


def test_replace_never_puts_the_old_file_over_a_dangling_link_named_like_the_backup(cli, home: Path) -> None:
    path = Path(cli("new", "Afternoon reset").out.strip())
    old = path.read_text()
    (path.parent / "afternoon-reset.yaml.bak").symlink_to(home / "nowhere")
    assert cli("new", "Afternoon reset", "--replace").code == 0
    assert (path.parent / "afternoon-reset.yaml.bak").is_symlink()
    assert (path.parent / "afternoon-reset.yaml.bak2").read_text() == old


def test_new_never_defines_an_id_twice(cli, home: Path) -> None:
    write(home / "config" / "routines", "mine.yaml", user_routine("afternoon-reset", "Mine"))
    for args in (["new", "Afternoon reset"], ["new", "Afternoon reset", "--replace"]):
        result = cli(*args)
        assert result.code == 1 and "already defined in" in result.err, args
    assert not (home / "config" / "routines" / "afternoon-reset.yaml").exists()


def test_new_keeps_accented_letters(cli, home: Path) -> None:
    result = cli("new", "Pausé café")
    assert result.code == 0 and result.out.strip().endswith("pause-cafe.yaml")


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["list", "--csv"], "usage: mobility-coach list "),
        (["show", "desk-break", "--csv"], "usage: mobility-coach show "),
        (["history", "--xml"], "usage: mobility-coach history "),
        (["validate", "--strict"], "usage: mobility-coach validate "),
        (["new", "x", "--force"], "usage: mobility-coach new "),
        (["log", "crack", "--loud"], "usage: mobility-coach log "),
        (["config", "--reset"], "usage: mobility-coach config "),
        (["remind", "status", "--now"], "usage: mobility-coach remind "),
        (["exercises", "--csv"], "usage: mobility-coach exercises "),
        (["--nope"], "usage: mobility-coach [-h]"),
    ],
)
def test_a_wrong_option_prints_the_usage_of_its_own_command(cli, args: list[str], usage: str) -> None:
    result = cli(*args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(usage), result.err
    assert "error: unrecognized arguments: " in result.err


def test_config_reports_an_unknown_suggested_routine_with_a_suggestion(cli, home: Path) -> None:
    config = write(home / "config", "config.yaml", "reminders:\n  suggested_routine: dsk-break\n")
    result = cli("config")
    assert result.code == 1
    assert (
        f"{config}:2:22: reminders.suggested_routine: unknown routine 'dsk-break'; did you mean 'desk-break'?"
        in result.err
    )
    assert "  suggested_routine: desk-break\n" in result.out
    write(home / "config" / "routines", "mine.yaml", user_routine("dsk-break"))
    assert cli("config").code == 0  # a routine of the user's is a routine like any other


def test_config_shows_the_suggested_routine_that_is_in_effect(cli, home: Path) -> None:
    """Left unset (as --init writes it, commented out), no routine is fixed: each break
    offers one the app picks, and config says so rather than name a routine it never offers."""
    assert cli("config", "--init").code == 0
    shown = cli("config").out
    assert "suggested_routine: desk-break" not in shown
    assert "  suggested_routine: picked for each break (none set): " in shown
    write(home / "config", "config.yaml", "reminders:\n  suggested_routine: desk-break\n")
    assert "  suggested_routine: desk-break\n" in cli("config").out


def test_the_reminder_says_why_it_offers_the_default_routine(home: Path, tmp_path: Path) -> None:
    config = write(home / "config", "config.yaml", "reminders:\n  suggested_routine: dsk-break\n")
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home), "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    command = [sys.executable, "-m", "mobility_coach", "remind"]
    reminder = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(reminder.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=60)
        assert first and first[0].startswith("Reminder running"), "the reminder did not start within 60 s"
        subprocess.run([*command, "stop"], env=env, capture_output=True, timeout=60, check=False)
        _, err = reminder.communicate(timeout=30)
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait(timeout=30)
    assert (
        f"{config}:2:22: reminders.suggested_routine: unknown routine 'dsk-break'; did you mean 'desk-break'?"
        " (reminders offer 'desk-break', the default, meanwhile)" in err
    )


def test_a_routine_of_yours_that_did_not_load_is_named_with_its_file_everywhere(cli, home: Path) -> None:
    path = Path(cli("new", "Pausé café").out.strip())
    path.write_text(path.read_text().replace("reps: 6", "reps: six", 1))
    pointer = f"your routine 'pause-cafe' is in {path} but has problems, so it did not load"
    for command in ("show", "run"):
        result = cli(command, "pause-cafe")
        assert result.code == 2 and pointer in result.err, (command, result.err)
        assert "see them with: mobility-coach validate pause-cafe" in result.err
    # In a file named otherwise, 'validate ID' finds it too, as the message promises.
    mine = path.rename(path.with_name("mine.yaml"))
    assert f"is in {mine} but has problems" in cli("run", "pause-cafe").err
    checked = cli("validate", "pause-cafe")
    assert checked.code == 1 and f"{mine}:20:15: routines.pause-cafe.steps[0].reps" in checked.out
    assert "no routine with id 'pause-caf'" in cli("run", "pause-caf").err  # a mere typo is still a typo
