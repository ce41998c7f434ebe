"""The settings file: reminder interval, snooze, break length, working hours, suggested
routine, sound, the voice. Validated like routine files (file:line:col, did-you-mean), but leniently:
a setting that is wrong is reported and its default used, and the others still apply.
The app never writes this file, except to create a commented one when asked and none
exists; a broken file is the user's and stays exactly as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobility_coach.core.breaks.schedule import DEFAULT_REMINDERS, HOLD_NAMES, ReminderSettings
from mobility_coach.core.breaks.workhours import DAYS, DAYS_HINT, RANGE_HINT, WorkingHours, parse_days, parse_range
from mobility_coach.core.durations import format_duration
from mobility_coach.core.errors import Problem, os_error_reason
from mobility_coach.core.routines.precautions import NOT_ADVICE, PRECAUTIONS, Body, Precaution, info_for
from mobility_coach.core.spec import (
    ID_HINT,
    ID_PATTERN,
    INVALID,
    Boolean,
    Choice,
    Context,
    Duration,
    Field,
    Integer,
    Kind,
    ListOf,
    Record,
    Text,
    guarded,
    join,
    suggest,
)
from mobility_coach.core.yamlnodes import Node, YamlProblem, read_tree


class WorkingHoursKind(Kind):
    description = "Working hours by day; reminders fire only inside them. Leave out for always."

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        """The valid entries' working hours. A bad day or range costs only itself: were one
        typo to void the whole schedule, reminders would fire at any hour of every day."""
        ctx.visit()
        if node.kind != "map":
            found = node.describe()
            ctx.report(node, where, f"expected days mapped to time ranges (mon-fri: 09:00-17:30), found {found}")
            return INVALID
        if not node.items:
            ctx.report(node, where, "no days given; leave working_hours out to be reminded at any time")
            return INVALID
        spans: dict[str, list[tuple[int, int]]] = {}
        bad: list[tuple[Node, str, str]] = []  # reported once we know whether anything is left
        for key_node, value_node in node.items:
            ctx.visit()
            key = key_node.text if key_node.kind == "scalar" else ""
            if parse_days(key) is None:
                bad.append((key_node, where, f"{key_node.describe()} is not {DAYS_HINT}"))
                continue
            items = value_node.items if value_node.kind == "seq" else [value_node]
            if not items:
                bad.append((value_node, join(where, key), f"expected {RANGE_HINT}, found an empty list"))
            for item in items:
                ctx.visit()
                parsed = parse_range(item.text) if item.kind == "scalar" else None
                if parsed is None:
                    bad.append((item, join(where, key), f"expected {RANGE_HINT}, found {item.describe()}"))
                else:
                    spans.setdefault(key, []).append(parsed)
        # Without a valid entry the setting falls back to its default (always), as any
        # wrong setting does; otherwise say that the rest still applies.
        left_out = "; left out, the other working hours apply" if spans else ""
        for at, at_where, message in bad:
            ctx.report(at, at_where, message + left_out)
        return WorkingHours.from_mapping(spans) if spans else INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object"}


class PrecautionsKind(Kind):
    description = "Precautions to play routines under: " + ", ".join(PRECAUTIONS) + "."

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        """The precautions named rightly. A misspelt one costs only itself: were one typo
        to void the list, every precaution named beside it would be silently dropped."""
        ctx.visit()
        items = node.items if node.kind == "seq" else [node]
        if node.kind == "map":
            ctx.report(node, where, f"expected a list such as [pregnancy], found {node.describe()}")
            return INVALID
        found: list[str] = []
        for index, item in enumerate(items):
            at = f"{where}[{index}]" if node.kind == "seq" else where
            name = Choice(PRECAUTIONS).check(item, ctx, at)
            if name is not INVALID:
                found.append(name)
        return tuple(dict.fromkeys(found))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(PRECAUTIONS)}, "uniqueItems": True}


DEFAULT_ROUTINE = DEFAULT_REMINDERS.suggested_routine
DEFAULT_SOUND = True
DEFAULT_VOICE = True
# A calm pace, a little slower than espeak-ng's own 175 words a minute.
DEFAULT_VOICE_RATE = 160
# Off: a tone and a notification already say a break is due, and a voice from the
# speakers at your desk is heard by the whole office, or by the call you are on.
DEFAULT_VOICE_REMINDER = False
DEFAULT_FLOOR = True
DEFAULT_STANDING = True


@dataclass
class RoutineId(Text):
    """A routine id that must name a routine, when the routines are known (``ctx.lookups``)."""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        routine_id = super().check(node, ctx, where)
        known = ctx.lookups.get("routines")
        if routine_id is INVALID or known is None or routine_id in known:
            return routine_id
        hint = suggest(routine_id, sorted(known)) or "; see: mobility-coach list"
        ctx.report(
            node,
            where,
            f"unknown routine {routine_id!r}{hint} (reminders offer '{DEFAULT_ROUTINE}', the default, meanwhile)",
        )
        return INVALID


REMINDERS = Record(
    "reminders",
    fields=[
        Field(
            "every",
            Duration(minimum=60, maximum=8 * 3600),
            "A break is due after this much sitting.",
            default=DEFAULT_REMINDERS.every,
        ),
        Field(
            "snooze",
            Duration(minimum=60, maximum=4 * 3600),
            "How long a snooze lasts.",
            default=DEFAULT_REMINDERS.snooze,
        ),
        Field(
            "break_length",
            Duration(minimum=60, maximum=2 * 3600),
            "Away (asleep or idle) this long counts as a break taken.",
            default=DEFAULT_REMINDERS.break_length,
        ),
        Field(
            "suggested_routine",
            RoutineId(pattern=ID_PATTERN, pattern_hint=ID_HINT),
            "The routine a reminder offers.",
            default=DEFAULT_ROUTINE,
        ),
        Field("working_hours", WorkingHoursKind(), "Days and times when reminders fire."),
        Field(
            "holds",
            ListOf(Choice(HOLD_NAMES), max_items=len(HOLD_NAMES)),
            "What holds a due break until it ends (each where this system can tell): "
            + ", ".join(HOLD_NAMES)
            + "; [] for nothing.",
            default=DEFAULT_REMINDERS.holds,
        ),
    ],
)

# Each browser tab is an app process of its own (some 40 MB): a few cover a user's windows.
DEFAULT_MAX_TABS = 4
SERVE = Record(
    "serve",
    fields=[
        Field(
            "max_tabs",
            Integer(minimum=1, maximum=32),
            "Browser tabs 'mobility-coach serve' keeps open at once (each runs an app of its own).",
            default=DEFAULT_MAX_TABS,
        )
    ],
)

SETTINGS = Record(
    "settings",
    fields=[
        Field("reminders", REMINDERS, "Sitting-break reminders."),
        Field("sound", Boolean(), "Play cue sounds (the app's mute key works on top).", default=DEFAULT_SOUND),
        Field(
            "voice",
            Boolean(),
            "Speak the session (where a speech engine exists; the player's v key works on top).",
            default=DEFAULT_VOICE,
        ),
        Field(
            "voice_rate",
            Integer(minimum=80, maximum=400),
            "How fast the voice speaks, in words a minute.",
            default=DEFAULT_VOICE_RATE,
        ),
        Field("voice_name", Text(max_length=200), "The voice to use, by name (the system's default without)."),
        Field("voice_counts_reps", Boolean(), "Count tempo-paced reps aloud.", default=False),
        Field(
            "voice_reminder",
            Boolean(),
            "Say a due break's prompt aloud after its sound (needs voice: true).",
            default=DEFAULT_VOICE_REMINDER,
        ),
        Field(
            "floor",
            Boolean(),
            "Routines may use the floor; false plays each floor exercise's seated or standing variant.",
            default=DEFAULT_FLOOR,
        ),
        Field(
            "standing",
            Boolean(),
            "Routines may ask you to stand; false plays each standing exercise's seated variant, "
            "and breaks never ask you to stand.",
            default=DEFAULT_STANDING,
        ),
        Field(
            "precautions",
            PrecautionsKind(),
            "General precautions to play routines under: "
            + ", ".join(PRECAUTIONS)
            + "; each swaps or leaves out what general guidance advises against, and adds its cautions.",
            default=(),
        ),
        Field(
            "terminal",
            Text(max_length=500),
            "The terminal a notification's Start opens the routine in, as a command "
            "('kitty', 'xterm -e'); without: $TERMINAL, x-terminal-emulator, then the common ones.",
        ),
        Field("serve", SERVE, "The browser tab (mobility-coach serve), read when it starts."),
    ],
)


@dataclass(frozen=True)
class Settings:
    """What the settings file says, with defaults for what it leaves out or gets wrong."""

    reminders: ReminderSettings = DEFAULT_REMINDERS
    sound: bool = DEFAULT_SOUND
    voice: bool = DEFAULT_VOICE
    voice_rate: int = DEFAULT_VOICE_RATE
    voice_name: str | None = None
    voice_counts_reps: bool = False
    voice_reminder: bool = DEFAULT_VOICE_REMINDER
    floor: bool = DEFAULT_FLOOR
    standing: bool = DEFAULT_STANDING
    precautions: tuple[Precaution, ...] = ()
    routine_chosen: bool = False
    """Whether the file names a ``suggested_routine``: then every break offers it, instead
    of the routine the coach picks (core.breaks.choice)."""
    terminal: str | None = None  # the command Start opens a routine with; None: found on the system
    max_tabs: int = DEFAULT_MAX_TABS  # serve.max_tabs: browser tabs open at once

    @property
    def body(self) -> Body:
        """What routines are fitted to besides the floor: standing, and the precautions."""
        return Body(self.standing, self.precautions)

    @property
    def speaks_reminders(self) -> bool:
        """Whether a due break's prompt is said aloud: the voice and its reminder switch on."""
        return self.voice and self.voice_reminder


def _lenient(record: Record, node: Node, ctx: Context, where: str) -> dict[str, Any]:
    """Each field checked on its own; a bad one is reported and gets its default."""
    found = record.split(node, ctx, where) or {}
    values: dict[str, Any] = {}
    for f in record.fields:
        values[f.name] = f.default
        if f.name not in found:
            continue
        _, value_node = found[f.name]
        at = join(where, f.name)
        if isinstance(f.kind, Record):
            if value_node.kind == "map":
                values[f.name] = _lenient(f.kind, value_node, ctx, at)
            else:
                f.kind.check(value_node, ctx, at)  # reports what it expected
        else:
            checked = guarded(ctx, value_node, at, functools.partial(f.kind.check, value_node, ctx, at))
            if checked is not INVALID:
                values[f.name] = checked
    return values


def load_settings(path: Path, routines: Mapping[str, object] | None = None) -> tuple[Settings, list[Problem]]:
    """The settings in ``path`` (defaults where it is missing, empty or wrong), and its problems.
    Given the routines by id, a suggested routine that is not among them is a problem too."""
    ctx = Context(path)
    if routines is not None:
        ctx.lookups["routines"] = routines
    try:
        if not path.exists():
            return Settings(), []
    except OSError as error:
        ctx.report(Node("scalar", 1, 1), "", f"cannot read the file: {os_error_reason(error)}; using the defaults")
        return Settings(), ctx.finish()
    try:
        tree = read_tree(path)
    except YamlProblem as problem:
        ctx.report(Node("scalar", problem.line, problem.column), "", problem.message + "; using the defaults")
        return Settings(), ctx.finish()
    if tree is None:
        return Settings(), []
    values = _lenient(SETTINGS, tree, ctx, "") if tree.kind == "map" else {}
    if tree.kind != "map":
        SETTINGS.check(tree, ctx, "")
    reminders = values.get("reminders") or {f.name: f.default for f in REMINDERS.fields}
    settings = Settings(
        reminders=ReminderSettings(**reminders),
        sound=values.get("sound", DEFAULT_SOUND),
        voice=values.get("voice", DEFAULT_VOICE),
        voice_rate=values.get("voice_rate", DEFAULT_VOICE_RATE),
        voice_name=values.get("voice_name"),
        voice_counts_reps=values.get("voice_counts_reps", False),
        voice_reminder=values.get("voice_reminder", DEFAULT_VOICE_REMINDER),
        floor=values.get("floor", DEFAULT_FLOOR),
        standing=values.get("standing", DEFAULT_STANDING),
        precautions=tuple(dict.fromkeys(values.get("precautions", ()))),
        routine_chosen=_names_routine(tree),
        terminal=values.get("terminal"),
        max_tabs=(values.get("serve") or {}).get("max_tabs", DEFAULT_MAX_TABS),
    )
    return settings, ctx.finish()


def _names_routine(tree: Node) -> bool:
    """Whether the file sets ``reminders.suggested_routine`` (even to the default's name)."""
    if tree.kind != "map":
        return False
    for key, value in tree.items:
        if key.kind == "scalar" and key.text == "reminders" and value.kind == "map":
            return any(k.kind == "scalar" and k.text == "suggested_routine" for k, _ in value.items)
    return False


# What reminders offer when the file names no routine: core/breaks/choice.py's rule.
_PICKED = (
    "picked for each break (none set): a short routine for the areas not moved today"
    " (gentler after 'worse' or 'pain'); the home screen shows which"
)


def describe(settings: Settings) -> str:
    """The effective settings, in the file's own format."""
    r = settings.reminders
    lines = [
        "reminders:",
        f"  every: {format_duration(r.every)}",
        f"  snooze: {format_duration(r.snooze)}",
        f"  break_length: {format_duration(r.break_length)}",
        f"  suggested_routine: {r.suggested_routine if settings.routine_chosen else _PICKED}",
    ]
    if r.working_hours is None:
        lines.append("  working_hours: always (none set)")
    else:
        lines.append("  working_hours:")
        for day, periods in zip(DAYS, r.working_hours.periods, strict=True):
            if periods:
                lines.append(f"    {day}: [{', '.join(_range_text(p) for p in periods)}]")
    lines.append(f"  holds: [{', '.join(r.holds)}]")
    lines.append(f"sound: {_yes(settings.sound)}")
    lines.append(f"voice: {_yes(settings.voice)}")
    lines.append(f"voice_rate: {settings.voice_rate}")
    lines.append(f"voice_name: {settings.voice_name or '(the default voice)'}")
    lines.append(f"voice_counts_reps: {_yes(settings.voice_counts_reps)}")
    lines.append(f"voice_reminder: {_yes(settings.voice_reminder)}")
    lines.append(f"floor: {_yes(settings.floor)}")
    lines.append(f"standing: {_yes(settings.standing)}")
    if settings.precautions:
        lines.append(f"precautions: [{', '.join(settings.precautions)}]")
        lines += [f"  # {p}: {info_for(p).changes}" for p in settings.precautions]
        lines.append(f"  # {NOT_ADVICE}")
    else:
        lines.append("precautions: [] (none named)")
    lines.append(f"terminal: {settings.terminal or '(found on the system)'}")
    lines.append(f"serve:\n  max_tabs: {settings.max_tabs}")
    return "\n".join(lines)


def _yes(value: bool) -> str:
    return "true" if value else "false"


def _range_text(period: tuple[int, int]) -> str:
    start, end = period
    end %= 24 * 60
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}m"


def starter_text(reminders: ReminderSettings, sound: bool) -> str:
    """The commented settings file ``config --init`` writes, showing the defaults."""
    return f"""\
# mobility-coach settings. Every line is optional; delete what you do not need.
# Check it with: mobility-coach config

reminders:
  every: {_minutes(reminders.every):<17}# a break is due after this much sitting
  snooze: {_minutes(reminders.snooze):<16}# how long "snooze" waits
  break_length: {_minutes(reminders.break_length):<10}# asleep or idle this long counts as a break taken
  # Each break offers a routine picked for it (short, for what has not moved today).
  # Name one here to be offered that one every time (see: mobility-coach list).
  # suggested_routine: {reminders.suggested_routine}
  # Reminders fire only inside working hours (local time). Without this: always.
  # working_hours:
  #   mon-fri: 09:00-17:30
  #   sat: [10:00-12:00]
  # A due break waits while any of these lasts, then is offered once (each where this
  # system can tell; 'mobility-coach config' says which can). [] for none.
  holds: [{", ".join(reminders.holds)}]

sound: {"true" if sound else "false":<19}# cue sounds; the app's mute key (m) works on top

# Spoken coaching: the session names each exercise, what comes next, and counts you in,
# through the system's offline voice (on Linux, install espeak-ng).
voice: true               # the player's v key switches it off and on (remembered)
voice_rate: {DEFAULT_VOICE_RATE}           # words a minute
# voice_name: English     # a voice by name; mobility-coach config lists the one in use
voice_counts_reps: false  # count tempo-paced reps aloud
voice_reminder: {_yes(DEFAULT_VOICE_REMINDER):<10}# also say a due break's prompt after its sound

# false: never ask you down to the floor; each floor exercise is played as its seated or
# standing variant (Ctrl+T on the home screen switches it while the app runs).
floor: true
# false: never ask you to stand (in a wheelchair, or if you would rather sit); each
# standing exercise is played as its seated variant. With floor: false too, all seated.
standing: true
# General precautions, not advice for you: name any of pregnancy, osteoporosis,
# hypermobility, and exercises general guidance advises against are swapped or left out.
# precautions: [pregnancy]

# The terminal a notification's Start opens the routine in. Without: $TERMINAL,
# x-terminal-emulator, then the common terminals.
# terminal: xterm -e
"""


STARTER = starter_text(DEFAULT_REMINDERS, DEFAULT_SOUND)
