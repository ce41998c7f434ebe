"""The settings file: defaults, located problems, lenient per setting, never rewritten."""

from dataclasses import replace
from pathlib import Path

from mobility_coach.core.breaks.schedule import DEFAULT_REMINDERS, ReminderSettings
from mobility_coach.core.config import REMINDERS, STARTER, Settings, load_settings, starter_text
from tests.conftest import where, write


def test_no_file_and_empty_file_mean_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.yaml") == (Settings(), [])
    assert load_settings(write(tmp_path, "empty.yaml", "")) == (Settings(), [])


def test_the_starter_file_is_valid_and_means_the_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "c.yaml", STARTER)) == (Settings(), [])


def test_the_starter_text_is_written_from_the_defaults_not_beside_them(tmp_path: Path) -> None:
    """The reminder defaults are stated once (ReminderSettings); the starter shows them."""
    other = ReminderSettings(
        every=2700, snooze=300, break_length=180, suggested_routine="floor-mobility", holds=("camera",)
    )
    text = starter_text(other, sound=False)
    # The routine is shown commented out: naming one turns off the coach's pick for each break.
    assert "  # suggested_routine: floor-mobility\n" in text
    offered = replace(other, suggested_routine=DEFAULT_REMINDERS.suggested_routine)
    assert load_settings(write(tmp_path, "c.yaml", text)) == (Settings(offered, sound=False), [])
    assert {f.name: f.default for f in REMINDERS.fields} == {
        "every": DEFAULT_REMINDERS.every,
        "snooze": DEFAULT_REMINDERS.snooze,
        "break_length": DEFAULT_REMINDERS.break_length,
        "suggested_routine": DEFAULT_REMINDERS.suggested_routine,
        "working_hours": None,
        "holds": DEFAULT_REMINDERS.holds,
    }


def test_holds_and_the_terminal_are_read_and_a_wrong_hold_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", "reminders:\n  holds: [microphone, camera]\nterminal: xterm -e\n")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.reminders.holds == ("microphone", "camera")
    assert settings.terminal == "xterm -e"
    assert load_settings(write(tmp_path, "none.yaml", "reminders:\n  holds: []\n"))[0].reminders.holds == ()
    settings, problems = load_settings(write(tmp_path, "bad.yaml", "reminders:\n  holds: [microfone]\n"))
    assert settings.reminders.holds == DEFAULT_REMINDERS.holds
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'bad.yaml'}:2:11: reminders.holds[0]: 'microfone' is not allowed; did you mean 'microphone'?"
    ]


def test_settings_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        """
        reminders:
          every: 45m
          snooze: 5m
          break_length: 3m
          suggested_routine: floor-mobility
          working_hours:
            mon-fri: [08:30-12:00, 13:00-17:00]
        sound: false
        """,
    )
    settings, problems = load_settings(path)
    assert problems == []
    r = settings.reminders
    assert (r.every, r.snooze, r.break_length, r.suggested_routine, settings.sound) == (
        2700,
        300,
        180,
        "floor-mobility",
        False,
    )
    assert r.working_hours is not None and r.working_hours.periods[0] == ((510, 720), (780, 1020))
    assert r.working_hours.periods[5] == ()


def test_each_bad_setting_is_located_and_only_it_falls_back(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        """
        reminders:
          evry: 30m
          snooze: 0
          every: 20m
          working_hours:
            mon-fri: 9-5
            funday: 10:00-11:00
        sound: maybe
        """,
    )
    text = path.read_text()
    settings, problems = load_settings(path)
    assert where(problems) == [
        (2, 3, "reminders: unknown key 'evry' in reminders; did you mean 'every'?"),
        (3, 11, "reminders.snooze: must be at least 1m, not 0"),
        (
            6,
            14,
            "reminders.working_hours.mon-fri: expected a time range like 09:00-17:30 (24-hour clock; 22:00-06:00 ends the next day), found '9-5'",
        ),
        (
            7,
            5,
            "reminders.working_hours: 'funday' is not a day (mon … sun), a span like mon-fri, or weekdays, weekend, daily",
        ),
        (8, 8, "sound: expected true or false, found 'maybe'"),
    ]
    assert settings.reminders.every == 1200  # the good setting still applies
    assert settings.reminders.snooze == 600 and settings.reminders.working_hours is None and settings.sound
    assert path.read_text() == text


def test_broken_yaml_means_defaults_and_a_located_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", "reminders: [\n")
    settings, problems = load_settings(path)
    assert settings == Settings() and len(problems) == 1
    assert problems[0].line == 2 and problems[0].message.endswith("; using the defaults")


def test_config_command_prints_path_and_effective_settings(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("config")
    path = home / "config" / "config.yaml"
    assert result.code == 0 and result.out.startswith(f"Settings file: {path}  (not created yet")
    assert "  every: 1h\n" in result.out and "working_hours: always" in result.out
    assert cli("config", "--init").out.startswith(f"Wrote {path}")
    assert path.read_text() == STARTER
    again = cli("config", "--init")
    assert again.code == 1 and "left as it is" in again.err and path.read_text() == STARTER
    path.write_text("reminders:\n  every: 2\n")
    broken = cli("config")
    assert broken.code == 1 and f"{path}:2:10: reminders.every: must be at least 1m, not 2" in broken.err
    assert "  every: 1h\n" in broken.out and path.read_text() == "reminders:\n  every: 2\n"


def test_config_names_the_voice_in_use(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    spoken = cli("config").out.split("\nVoice: ")[1]
    # The engine here (espeak-ng in CI), or why there is none, with what to install.
    assert spoken.startswith("espeak-ng, voice ") or "install espeak-ng" in spoken
    write(home / "config", "config.yaml", "voice: false\n")
    assert cli("config").out.endswith("\nVoice: off (voice: false)\n")


ROUTINES = {"desk-break": object(), "floor-mobility": object()}


def test_an_unknown_suggested_routine_is_located_suggested_and_falls_back(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        """
        reminders:
          every: 45m
          suggested_routine: flor-mobility
        """,
    )
    settings, problems = load_settings(path, ROUTINES)
    assert where(problems) == [
        (
            3,
            22,
            "reminders.suggested_routine: unknown routine 'flor-mobility'; did you mean "
            "'floor-mobility'? (reminders offer 'desk-break', the default, meanwhile)",
        )
    ]
    assert settings.reminders.suggested_routine == "desk-break" and settings.reminders.every == 2700
    path.write_text(path.read_text().replace("flor-mobility", "floor-mobility"))
    assert load_settings(path, ROUTINES)[0].reminders.suggested_routine == "floor-mobility"
    # Without the routines at hand (nothing to check against) the id is taken as written.
    path.write_text(path.read_text().replace("floor-mobility", "someday-mine"))
    expected = Settings(ReminderSettings(every=2700, suggested_routine="someday-mine"), routine_chosen=True)
    assert load_settings(path) == (expected, [])


def test_one_bad_working_hours_entry_costs_only_that_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        """
        reminders:
          working_hours:
            mon-fri: 09:00-17:30
            sat: 10-12
            sun: [10:00-12:00, 25:00-26:00]
            funday: 10:00-11:00
        """,
    )
    settings, problems = load_settings(path)
    hours = settings.reminders.working_hours
    assert hours is not None, "one bad entry turned the whole schedule into 'always'"
    assert hours.periods[:5] == (((540, 1050),),) * 5
    assert hours.periods[5] == () and hours.periods[6] == ((600, 720),)
    assert [(line, column) for line, column, _ in where(problems)] == [(4, 10), (5, 24), (6, 5)]
    assert all(message.endswith("; left out, the other working hours apply") for _, _, message in where(problems))


def test_working_hours_with_nothing_in_them_are_reported_not_silently_always(tmp_path: Path) -> None:
    for text, line, column in (("  working_hours: {}\n", 2, 18), ("  working_hours:\n    mon-fri: []\n", 3, 14)):
        settings, problems = load_settings(write(tmp_path, "c.yaml", "reminders:\n" + text))
        assert [(p.line, p.column) for p in problems] == [(line, column)], text
        assert settings.reminders.working_hours is None


def test_a_huge_key_is_shortened_in_problems_like_a_huge_value(tmp_path: Path) -> None:
    key = "weekdays" + " " * 30_000
    # A key past 1,024 characters must be written as an explicit "? key" in YAML.
    text = f'reminders:\n  working_hours:\n    ? "{key}"\n    : nope\n  ? "{"z" * 30_000}"\n  : 3\n'
    _, problems = load_settings(write(tmp_path, "c.yaml", text))
    assert len(problems) == 2
    assert all(len(p.message) < 300 for p in problems), [len(p.message) for p in problems]
    assert "reminders.working_hours.weekdays     " in problems[1].message


def test_voice_settings(tmp_path: Path) -> None:
    settings, problems = load_settings(
        write(tmp_path, "c.yaml", "voice: false\nvoice_rate: 140\nvoice_name: English\nvoice_counts_reps: true\n")
    )
    assert problems == []
    assert (settings.voice, settings.voice_rate, settings.voice_name, settings.voice_counts_reps) == (
        False,
        140,
        "English",
        True,
    )
    settings, problems = load_settings(write(tmp_path, "c.yaml", "voice: loud\nvoice_rate: 1000\n"))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 8, "voice: expected true or false, found 'loud'"),
        (2, 13, "voice_rate: must be from 80 to 400, not 1000"),
    ]
    assert (settings.voice, settings.voice_rate) == (True, 160)  # the defaults meanwhile


def test_the_browser_tabs_cap_is_read_and_a_wrong_one_is_located(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "c.yaml", "serve:\n  max_tabs: 7\n")) == (Settings(max_tabs=7), [])
    settings, problems = load_settings(write(tmp_path, "bad.yaml", "serve:\n  max_tabs: 0\nsound: false\n"))
    assert settings == Settings(sound=False)  # the default cap, and the rest still applies
    assert [str(p) for p in problems] == [f"{tmp_path / 'bad.yaml'}:2:13: serve.max_tabs: must be from 1 to 32, not 0"]


def test_standing_and_precautions_are_read_and_shown(tmp_path: Path) -> None:
    from mobility_coach.core.config import describe

    path = write(tmp_path, "c.yaml", "floor: false\nstanding: false\nprecautions: [pregnancy, hypermobility]\n")
    settings, problems = load_settings(path)
    assert problems == []
    assert not settings.standing and settings.precautions == ("pregnancy", "hypermobility")
    assert settings.body.standing is False and settings.body.precautions == ("pregnancy", "hypermobility")
    shown = describe(settings)
    assert "standing: false\nprecautions: [pregnancy, hypermobility]\n" in shown
    assert "  # pregnancy: no lying on your back" in shown and "not advice for you" in shown
    assert "precautions: [] (none named)" in describe(Settings())


def test_a_wrong_standing_or_precaution_is_located_and_only_it_falls_back(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", "standing: sometimes\nprecautions: [pregnant, osteoporosis]\n")
    settings, problems = load_settings(path)
    assert where(problems) == [
        (1, 11, "standing: expected true or false, found 'sometimes'"),
        (2, 15, "precautions[0]: 'pregnant' is not allowed; did you mean 'pregnancy'?"),
    ]
    # A misspelt precaution costs only itself: the one named beside it is still in force.
    assert settings.standing and settings.precautions == ("osteoporosis",)
    one = load_settings(write(tmp_path, "one.yaml", "precautions: hypermobility\n"))
    assert one == (replace(Settings(), precautions=("hypermobility",)), [])
    bad = load_settings(write(tmp_path, "map.yaml", "precautions: {pregnancy: true}\n"))
    assert bad[0].precautions == () and where(bad[1])[0][:2] == (1, 14)
