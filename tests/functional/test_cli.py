"""The command line, as a user meets it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from mobility_coach.core.paths import builtin_routines_dir
from tests.conftest import write

BUILTIN_IDS = {
    "desk-break",
    "floor-mobility",
    "core-posture",
    "stiff-back-start",
    "crack-swap",
    "neck-swap",
    "standing-reset",
    "upper-back-reset",
    "sitters-hips",
    "wrists-and-eyes",
    "lunch-walk",
}
STEP = "      - exercise: cat-cow\n        hold: 30s\n"


def user_routine(routine_id: str = "mine", name: str = "Mine", steps: str = STEP) -> str:
    return f"routines:\n  {routine_id}:\n    name: {name}\n    summary: Test.\n    steps:\n{steps}"


def test_list_shows_the_builtins_with_where_they_come_from(cli) -> None:
    result = cli("list")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].split() == ["NAME", "ID", "TIME", "POSITION", "TAGS", "FROM"]
    for routine_id in BUILTIN_IDS:
        row = next(line for line in lines if f" {routine_id} " in line)
        assert row.rstrip().endswith("built-in")
    assert "3m48s" in next(line for line in lines if " desk-break " in line)


def test_run_with_an_unknown_routine_says_so_before_opening_the_app(cli) -> None:
    result = cli("run", "flor-mobility")
    assert result.code == 2 and "did you mean 'floor-mobility'?" in result.err


def test_list_json(cli) -> None:
    data = json.loads(cli("list", "--json").out)
    assert {r["id"] for r in data["routines"]} == BUILTIN_IDS
    desk = next(r for r in data["routines"] if r["id"] == "desk-break")
    assert desk["timed_seconds"] == 228 and desk["origin"] == "built-in" and data["problems"] == []


def test_user_routine_replacing_a_builtin_is_marked(cli, home: Path) -> None:
    write(home / "config" / "routines", "desk.yaml", user_routine("desk-break", "My desk break"))
    result = cli("list")
    row = next(line for line in result.out.splitlines() if " desk-break " in line)
    assert row.startswith("My desk break") and row.rstrip().endswith("user, replaces built-in")
    assert "desk.yaml replaces the built-in one" in result.out
    data = json.loads(cli("list", "--json").out)
    desk = next(r for r in data["routines"] if r["id"] == "desk-break")
    assert desk["replaces"].endswith("desk-break.yaml")


def test_a_broken_user_file_is_reported_and_the_rest_still_load(cli, home: Path) -> None:
    folder = home / "config" / "routines"
    write(folder, "bad.yaml", "routines: [\n")
    write(folder, "good.yaml", user_routine())
    result = cli("list")
    assert result.code == 0
    assert " mine " in result.out and " desk-break " in result.out
    assert f"{folder / 'bad.yaml'}:2:1: not valid YAML" in result.err


def test_show_prints_steps_and_timeline(cli) -> None:
    result = cli("show", "desk-break")
    assert result.code == 0
    assert result.out.startswith("Hourly desk break (desk-break), built-in\n")
    assert "Time: 3m48s" in result.out
    assert "  2. Controlled seated twist: hold 15s, each side" in result.out
    assert "1:11  15s  work       Controlled seated twist, left side" in result.out
    assert result.out.rstrip().endswith("3:48  done")


def test_show_with_cues_and_json(cli) -> None:
    assert "+60s halfway: Halfway" in cli("show", "stiff-back-start", "--cues").out
    data = json.loads(cli("show", "floor-mobility", "--json").out)
    assert (
        data["routine"] == "floor-mobility" and data["timed_seconds"] == 661
    )  # the get-readies, rests and switches last as long as what they say
    assert [s["kind"] for s in data["segments"]][:3] == ["get_ready", "work", "rest"]


def test_show_says_what_will_be_played_without_the_floor(cli, home: Path) -> None:
    """floor: false plays each floor exercise as its off-floor variant: show says so and
    shows those, in text, JSON and figures alike."""
    assert "  3. Cat-cow: 10 reps x 6s" in cli("show", "floor-mobility").out
    write(home / "config", "config.yaml", "floor: false\n")
    text = cli("show", "floor-mobility").out
    assert "  3. Seated cat-cow: 10 reps x 6s" in text and "  3. Cat-cow:" not in text
    assert "floor: false" in text and "Positions: floor" not in text
    data = json.loads(cli("show", "floor-mobility", "--json").out)
    played = {s["exercise"] for s in data["segments"] if s["exercise"]}
    assert "seated-cat-cow" in played and "cat-cow" not in played
    assert data["floor"] is False
    assert "Seated cat-cow" in cli("show", "floor-mobility", "--figures").out


def test_show_plays_seated_and_under_the_precautions_the_settings_name(cli, home: Path) -> None:
    """standing: false and precautions: [...] change what is played: show says so and
    shows it, in text, JSON, figures and the script alike."""
    write(home / "config", "config.yaml", "floor: false\nstanding: false\nprecautions: [pregnancy]\n")
    text = cli("show", "desk-break").out
    assert "Seated march" in text and "Walk about" not in text
    assert "standing: false" in text and "precautions: pregnancy" in text
    assert "Positions: seated\n" in text and "floor: false" not in text  # desk-break never needed the floor
    data = json.loads(cli("show", "core-posture", "--json").out)
    played = {s["exercise"] for s in data["segments"] if s["exercise"]}
    assert not played & {"dead-bug", "plank", "desk-plank", "standing-bird-dog"}
    assert data["standing"] is False and data["precautions"] == ["pregnancy"]
    assert "Seated march" in cli("show", "desk-break", "--figures").out
    script = cli("show", "desk-break", "--script").out
    assert "Stand up and walk" not in script and "Sit tall near the front of a steady chair" in script
    config = cli("config").out
    assert "standing: false\nprecautions: [pregnancy]\n" in config and "not advice for you" in config


def test_the_exercise_list_has_the_sitters_essentials(cli) -> None:
    listed = cli("exercises").out
    for name in ("Half-kneeling hip-flexor stretch", "Chest opener in a doorway", "Wrist and forearm stretch"):
        assert name in listed
    assert "Look into the distance" in listed and "Calf raises" in listed


def test_show_unknown_routine_suggests(cli) -> None:
    result = cli("show", "desk-brake")
    assert result.code == 2 and "no routine or exercise with id 'desk-brake'; did you mean 'desk-break'?" in result.err


def test_show_a_file(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", user_routine())
    result = cli("show", str(path))
    assert result.code == 0 and result.out.startswith("Mine (mine), user")


def test_validate_reports_each_problem_on_one_line_and_exits_1(cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "routines/bad.yaml", user_routine(steps="      - exercise: cat-cow\n        hodl: 30s\n"))
    write(tmp_path, "routines/sub/good.yaml", user_routine("fine"))
    write(tmp_path, "routines/notes.txt", "not yaml: [")
    result = cli("validate", str(tmp_path / "routines"))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{bad}:7:9: routines.mine.steps[0]: unknown key 'hodl' in step; did you mean 'hold'?"
    ]
    assert result.err == "1 problem(s) in 1 of 2 file(s)\n"


def test_validate_ok_prints_a_summary(cli, tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", user_routine())
    result = cli("validate", str(good))
    assert (result.code, result.out) == (
        0,
        "ok: 1 file(s), 1 routine(s) checked: mine (49s)\n",  # 30s, after 19s to get down and hear how
    )  # 15s to get down to the floor


def test_validate_builtin_folder_is_clean(cli) -> None:
    result = cli("validate", str(builtin_routines_dir()))
    assert result.code == 0 and "11 routine(s)" in result.out


def test_validate_missing_path(cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.code == 1 and result.out == f"{tmp_path / 'nope.yaml'}:1:1: no such file or folder\n"


def test_validate_without_paths_checks_the_users_folder(cli, home: Path) -> None:
    assert "No routines folder yet" in cli("validate").out
    write(home / "config" / "routines", "a.yaml", user_routine())
    assert cli("validate").out.startswith("ok: 1 file(s)")


def test_schema_accepts_the_builtins_and_rejects_what_the_loader_rejects(cli, tmp_path: Path) -> None:
    schema = json.loads(cli("schema").out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in builtin_routines_dir().glob("*.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path.name
    rejected = [
        user_routine(steps="      - exercise: cat-cow\n        hodl: 30s\n"),
        user_routine(steps="      - exercise: cat-cow\n        hold: 30s\n        reps: 3\n"),
        user_routine(steps="      - exercise: cat-cow\n        reps: 3\n        tempo: 2s\n        self_paced: true\n"),
        user_routine(steps="      - exercise: cat-cow\n        hold: 0\n"),
        user_routine(steps="      - exercise: cat-cow\n        hold: 3 minutes\n"),
        "routines:\n  Bad Id:\n    name: x\n",
    ]
    for text in rejected:
        assert list(validator.iter_errors(yaml.safe_load(text))), text
        path = write(tmp_path, "r.yaml", text)
        assert cli("validate", str(path)).code == 1, text


def test_new_writes_a_starter_that_validates(cli, home: Path) -> None:
    result = cli("new", "Afternoon: reset!")
    path = home / "config" / "routines" / "afternoon-reset.yaml"
    assert (result.code, result.out) == (0, f"{path}\n")
    assert (path.parent / "mobility-coach.schema.json").is_file()
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=./mobility-coach.schema.json\n")
    assert cli("validate", str(path)).code == 0
    listed = cli("list").out
    assert "Afternoon: reset!" in listed and " afternoon-reset " in listed
    again = cli("new", "Afternoon reset")
    assert again.code == 1 and "already exists" in again.err
    assert path.read_text() == text


def test_new_named_like_a_builtin_says_it_replaces_it(cli) -> None:
    result = cli("new", "Desk break", "--replace")
    assert result.code == 0 and "replaces the built-in routine 'desk-break'" in result.err


def test_new_refuses_a_name_without_letters(cli) -> None:
    assert cli("new", "!!!").code == 2


@pytest.mark.parametrize(
    "command", ["run", "list", "show", "exercises", "validate", "schema", "new", "config", "remind", "history", "log"]
)
def test_every_command_has_help(command: str, capsys) -> None:
    from mobility_coach.cli import main

    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) >= 3


def run_module(home: Path, *args: str, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=60, check=False)


def test_commands_never_import_textual(home: Path, tmp_path: Path) -> None:
    # A tripwire package shadows any real Textual: importing it fails loudly, and
    # -X importtime lists every module that was imported.
    trap = tmp_path / "trap"
    write(trap, "textual/__init__.py", "raise ImportError('textual was imported')\n")
    write(home / "config" / "routines", "a.yaml", user_routine())
    for args in (
        ["list"],
        ["list", "--json"],
        ["show", "desk-break"],
        ["show", "cat-cow"],
        ["exercises"],
        ["validate"],
        ["validate", "a"],
        ["schema"],
        ["new", "x y"],
        ["config"],
        ["remind", "unit"],
    ):
        done = run_module(home, "-X", "importtime", "-m", "mobility_coach", *args, extra_path=trap)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        assert "mobility_coach" in imported  # the listing is there
        assert not imported & {"textual", "rich", "playsound3"}, args


def test_python_dash_m_works(home: Path) -> None:
    done = run_module(home, "-m", "mobility_coach", "--version")
    assert done.returncode == 0 and done.stdout.startswith("mobility-coach ")


def test_show_script_prints_what_the_voice_says_under_the_settings(cli, home: Path) -> None:
    lines = cli("show", "floor-mobility", "--script").out.splitlines()
    assert all(re.fullmatch(r"\d+:\d\d  \S.*", line) for line in lines)
    assert lines[0].startswith("0:00  Get down onto your mat") and lines[-1].endswith("of movement.")
    assert any("Left side means lying on your left side" in line for line in lines)
    write(home / "config", "config.yaml", "floor: false\nvoice_counts_reps: true\n")
    floorless = cli("show", "floor-mobility", "--script").out
    assert "Get down onto your mat" not in floorless and "Sit near the front of a steady chair" in floorless
    # A slower voice has less time for each phrase: it takes shorter forms somewhere.
    write(home / "config", "config.yaml", "voice_rate: 90\n")
    assert cli("show", "floor-mobility", "--script").out.splitlines() != lines


def test_the_script_is_what_the_voice_says_in_a_session(cli) -> None:
    """The script and a session driven to its end with a voice (at the settings' pace,
    as the script is) say the same words at the same seconds: one plan for both."""
    script = cli("show", "desk-break", "--script").out.splitlines()
    heard = heard_in_a_session(load_all_builtin("desk-break"))
    assert [f"{int(at) // 60}:{int(at) % 60:02d}  {text}" for at, text in heard] == script


def load_all_builtin(routine_id: str):  # type: ignore[no-untyped-def]
    from mobility_coach.core.routines.loader import builtin_layer, load_library

    return load_library([builtin_layer()]).routines[routine_id]


def heard_in_a_session(routine) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """(seconds from the start, words) of everything said as a session plays to its end."""
    from mobility_coach.core.clock import FakeClock
    from mobility_coach.core.session.runner import TICK_SECONDS, SessionRunner
    from mobility_coach.core.session.speech import caption_settings
    from tests.unit.test_session_runner import FakeSound, FakeVoice

    voice = FakeVoice()
    voice.speech_settings = caption_settings  # type: ignore[method-assign]
    sound = FakeSound(voice, start_seconds=0.0)
    clock = FakeClock()
    runner = SessionRunner(routine, clock, sound, None)
    began = clock.monotonic()
    runner.start()
    heard: list[tuple[float, str]] = []
    while not runner.view().finished:
        # Said now (at None) or handed over for its instant: either way, heard then.
        heard += [(clock.monotonic() if at is None else at, words) for _, words, at in sound.heard if words]
        sound.heard.clear()
        clock.advance(TICK_SECONDS)
        runner.tick()
    heard += [(clock.monotonic() if at is None else at, words) for _, words, at in sound.heard if words]
    return [(round(at - began, 3), words) for at, words in heard]
