"""Plain text for the command line: the routine list, a timeline, the exercise library, figures."""

from __future__ import annotations

from mobility_coach.core.durations import format_clock, format_duration
from mobility_coach.core.figures.sheet import key_pictures
from mobility_coach.core.routines.catalog import ExerciseEntry
from mobility_coach.core.routines.model import Exercise, Routine
from mobility_coach.core.routines.timeline import Segment, Timeline, length_of, routine_length
from mobility_coach.core.routines.wording import describe_step, step_work


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def routine_table(routines: list[Routine]) -> str:
    rows = [
        [r.name, r.id, length_of(r).text(), ", ".join(r.positions), ", ".join(r.tags), r.origin.label()]
        for r in routines
    ]
    text = table(rows, ["NAME", "ID", "TIME", "POSITION", "TAGS", "FROM"])
    if any(length_of(r).self_paced_count for r in routines):
        text += "\n\n+ plus the self-paced steps, which take as long as you take."
    return text


def _segment_what(segment: Segment) -> str:
    if segment.kind == "work":
        parts = [segment.label]
        if segment.side:
            parts.append(f"{segment.side} side")
        if segment.sets > 1:
            parts.append(f"set {segment.set} of {segment.sets}")
        if segment.reps is not None:
            parts.append(f"{segment.reps} reps" + (" (self-paced)" if segment.self_paced else ""))
        return ", ".join(parts)
    if segment.kind == "get_ready" and segment.exercise:
        return f"Get ready: {segment.exercise.name}"
    if segment.kind == "switch" and segment.side:
        # The KIND column already says "switch"; say where to, not "Switch sides" again.
        return f"to the {segment.side} side"
    return segment.label


def timeline_text(timeline: Timeline, with_cues: bool = False, note: str | None = None) -> str:
    """The routine's steps and timeline; ``note``, a line on how it was adapted (the floor)."""
    routine = timeline.routine
    head = [
        f"{routine.name} ({routine.id}), {routine.origin.label()}",
        routine.summary,
        f"Time: {routine_length(timeline)}"
        + (f" with {timeline.self_paced_count} self-paced segments" if timeline.self_paced_count else "")
        + f"   Positions: {', '.join(routine.positions)}"
        + (f"   Rounds: {routine.rounds}" if routine.rounds > 1 else ""),
        *([note + "."] if note else []),
        "",
        "Steps:",
    ]
    for number, step in enumerate(routine.steps, 1):
        head.append(f"  {number}. {step.exercise.name}: {describe_step(step)}")
    head += ["", "Timeline:"]
    rows = []
    for segment in timeline.segments:
        length = "you say" if segment.duration is None else format_duration(segment.duration)
        rows.append([format_clock(segment.start), length, segment.kind.replace("_", "-"), _segment_what(segment)])
        if with_cues:
            for cue in segment.cues:
                rows.append(["", "", "", f"  +{cue.at:g}s {cue.kind}: {cue.text}"])
    body = table(rows, ["AT", "FOR", "KIND", "WHAT"])
    lines = [*head, *("  " + line for line in body.splitlines()), f"  {format_clock(timeline.timed_seconds)}  done"]
    if timeline.self_paced_count:
        lines.append("  (AT counts timed segments only: self-paced ones last as long as you take.)")
    return "\n".join(lines)


def exercise_table(entries: list[ExerciseEntry]) -> str:
    rows = [[e.exercise.id, e.exercise.name, e.exercise.position, e.origin.label()] for e in entries]
    return table(rows, ["ID", "NAME", "POSITION", "FROM"])


def exercise_text(entry: ExerciseEntry) -> str:
    exercise, origin = entry.exercise, entry.origin
    lines = [f"{exercise.name} ({exercise.id}), {origin.label()}", f"Position: {exercise.position}"]
    if exercise.start:
        lines.append(f"Starting from: {exercise.start}")
    if exercise.areas:
        lines.append(f"Moves: {', '.join(exercise.areas)}")
    if exercise.needs:
        lines.append(f"You need: {', '.join(exercise.needs)}")
    versions = [f"{kind.replace('_', ' ')}: {variant}" for kind, variant in exercise.variant_ids]
    if versions:
        lines.append(f"Versions: {'; '.join(versions)}")
    if exercise.about:
        lines += ["", exercise.about]
    lines += ["", "Cues:", *(f"  {number}. {cue}" for number, cue in enumerate(exercise.cues, 1))]
    if exercise.cautions:
        lines += ["", "Cautions:", *(f"  - {caution}" for caution in exercise.cautions)]
    if exercise.source:
        lines += ["", f"Source: {exercise.source}"]
    lines += ["", f"Defined in: {origin.path}" + (f" (replacing {origin.replaces})" if origin.replaces else "")]
    used = ", ".join(entry.used_by) if entry.used_by else "no routine yet"
    lines.append(f"Used by: {used}")
    lines.append(f"In a routine:  - exercise: {exercise.id}")
    return "\n".join(lines)


def exercise_json(entry: ExerciseEntry) -> dict[str, object]:
    exercise, origin = entry.exercise, entry.origin
    return {
        "id": exercise.id,
        "name": exercise.name,
        "position": exercise.position,
        "cues": list(exercise.cues),
        "cautions": list(exercise.cautions),
        "about": exercise.about,
        "source": exercise.source,
        "areas": list(exercise.areas),
        "needs": list(exercise.needs),
        "start": exercise.start,
        "variants": dict(exercise.variant_ids),
        "origin": origin.label(),
        "path": str(origin.path),
        "replaces": str(origin.replaces) if origin.replaces else None,
        "used_by": list(entry.used_by),
    }


def exercise_figure_text(exercise: Exercise, work: str | None = None) -> str:
    """The exercise's name, then its starting and key positions drawn in braille."""
    heading = f"{exercise.name} ({work})" if work else exercise.name
    pictures = key_pictures(exercise.drawn)
    plain = "" if exercise.figure else "\n  (no figure of its own: the plain figure of its position)"
    return heading + plain + "\n\n" + "\n".join(f"  {line}".rstrip() for line in pictures or ())


def routine_figures_text(routine: Routine) -> str:
    """Every exercise of the routine once, in order, with its figures; a step done on
    both sides is drawn for the right side (the left is its mirror)."""
    parts = [f"{routine.name}: the figures of its exercises (the left side is drawn mirrored)"]
    seen: set[Exercise] = set()
    for step in routine.steps:
        if step.exercise not in seen:
            seen.add(step.exercise)
            parts.append(exercise_figure_text(step.exercise, step_work(step)))
    return "\n\n".join(parts)
