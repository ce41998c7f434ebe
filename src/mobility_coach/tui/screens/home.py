"""Home: "now" first (the break clock, today so far, the routine suggested for this
break, highlighted), then every routine, filtered as you type, with a preview."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mobility_coach.core.breaks.choice import Now
from mobility_coach.core.errors import Problem
from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.routines.loader import Library
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.search import rank_routines
from mobility_coach.core.routines.timeline import length_of
from mobility_coach.core.routines.variants import ANY_BODY, Body, as_played, fits_without_floor
from mobility_coach.core.routines.wording import describe_step
from mobility_coach.core.session.safety import DISCLAIMER
from mobility_coach.core.terminal_text import visible
from mobility_coach.tui.messages import FloorToggled, ProblemsWanted, RoutineChosen
from mobility_coach.tui.widgets.figure_view import FigureStrip
from mobility_coach.tui.widgets.title_bar import TitleBar


def floor_note(routine: Routine, floor: bool) -> str | None:
    """How the routine stands with the floor: None when it never needs it."""
    if not routine.needs_floor:
        return None
    if floor:
        return "needs the floor"
    return "floor-free version" if fits_without_floor(routine) else "needs the floor (no floor-free version)"


def preview(routine: Routine, floor: bool = True, body: Body = ANY_BODY) -> Text:
    """The whole preview as one text (the screen puts the figures between its parts)."""
    head, rest = preview_parts(routine, floor, body)
    return Text.assemble(head, rest)


def preview_figures(routine: Routine) -> tuple[tuple[str, Figure], ...]:
    """Each step's exercise, captioned with its number, for the strip of still figures."""
    return tuple((f"{n}. {step.exercise.name}", step.exercise.drawn) for n, step in enumerate(routine.steps, 1))


def preview_parts(routine: Routine, floor: bool = True, body: Body = ANY_BODY) -> tuple[Text, Text]:
    """What the routine is, what it needs and its steps (as played under the floor
    setting and the body the settings describe); then its cautions and where it comes from."""
    note = floor_note(routine, floor)
    seated_now = not body.standing and "standing" in as_played(routine, floor).positions
    routine = as_played(routine, floor, body=body)
    length = length_of(routine)
    text = Text()
    text.append(routine.name + "\n", style="bold")
    text.append(routine.summary + "\n")
    if note == "floor-free version":
        text.append("Played without the floor: seated and standing versions.\n", style="italic")
    if seated_now:
        text.append("Played without standing: seated versions.\n", style="italic")
    if body.precautions:
        text.append(f"Played under your precautions: {', '.join(body.precautions)}.\n", style="italic")
    if routine.needs:
        text.append("You need: " + ", ".join(routine.needs) + "\n", style="bold")
    text.append("\n")
    facts = [length.text(), ", ".join(routine.positions), f"{len(routine.steps)} steps"]
    if routine.rounds > 1:
        facts.append(f"{routine.rounds} rounds")
    text.append(" · ".join(facts) + "\n", style="bold")
    if length.self_paced_count:
        text.append("+ your own pace on the self-paced steps\n", style="dim")
    text.append("\n")
    for number, step in enumerate(routine.steps, 1):
        text.append(f"{number:2d}. {step.exercise.name}", style="bold")
        text.append(f"  {describe_step(step)}\n")
    head, text = text, Text()
    if routine.cautions:
        text.append("\nCautions\n", style="bold")
        for caution in routine.cautions:
            text.append(f" • {caution}\n")
    text.append(f"\n{DISCLAIMER}\n", style="dim italic")
    origin = routine.origin
    text.append(f"\n{origin.label()}" + ("" if origin.builtin else f": {visible(str(origin.path))}"), style="dim")
    return head, text


def option_for(routine: Routine, floor: bool = True, body: Body = ANY_BODY) -> Option:
    played = as_played(routine, floor, body=body)
    # Content, which the list draws, rather than rich Text it would convert: with 750
    # routines the conversion was a tenth of the first frame.
    parts: list[str | tuple[str, str]] = [routine.name, f"  {length_of(played).text()}"]
    note = floor_note(routine, floor)
    if note is not None:
        parts.append((f"\n▼ {note}", "italic"))
    parts.append((f"\n{', '.join(played.positions)} · {', '.join(routine.tags)}", "dim"))
    # Bold under the rest, as the whole line was bold when it was rich Text(style="bold").
    return Option(Content.assemble(*parts).stylize_before("bold"), id=routine.id)


def now_clock_text(now: Now) -> Text:
    """The first line of "now": the only one that changes as time passes (once a minute)."""
    text = Text()
    text.append("Now: ", style="bold")
    text.append(f"{now.clock} · {now.today}")
    return text


def now_pick_text(now: Now) -> Text:
    text = Text()
    routine = now.pick.routine
    if routine is None:
        text.append("No routine fits a break just now: " + now.pick.reason, style="italic")
        return text
    text.append("Suggested: ", style="bold")
    text.append(f"{routine.name} ({length_of(routine).text()}), Enter to start", style="bold")
    text.append(f"\n{now.pick.reason[:1].upper()}{now.pick.reason[1:]}.", style="italic")
    return text


class FilterInput(Input):
    """The filter field; Enter starts the highlighted routine, and the footer says so."""

    BINDINGS = [Binding("enter", "submit", "Start")]

    def on_mount(self) -> None:
        # A steady cursor: the home screen stays open all day, and a blinking one redraws
        # the field twice a second for as long as it is open.
        self.cursor_blink = False


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("ctrl+s", "app.stats", "Stats"),
        Binding("ctrl+l", "app.journal", "Log crack"),
        Binding("ctrl+r", "show_problems", "Problems"),
        Binding("ctrl+t", "toggle_floor", "Floor"),
    ]

    def __init__(
        self,
        library: Library,
        settings_problems: list[Problem],
        floor: bool = True,
        now: Now | None = None,
        body: Body = ANY_BODY,
    ) -> None:
        super().__init__()
        self.library = library
        self.settings_problems = settings_problems
        self.floor = floor
        """Whether routines may use the floor (else floor exercises play as their variants)."""
        self.body = body
        """Standing and the precautions, from the settings: what routines are fitted to."""
        self.now = now
        self._suggested: str | None = None  # the suggestion last highlighted for the user
        self._shown_pick: tuple[str | None, str] | None = None  # what the suggestion lines say
        self._options: dict[str, tuple[Routine, Option]] = {}
        self._fills = 0  # how many times the list was filled: a late rest belongs to the last

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_problems":  # offered only when there is something to show
            return bool(self.library.problems or self.settings_problems)
        return True

    def compose(self) -> ComposeResult:
        yield TitleBar()
        # Two lines apart: the clock line changes each minute, and only it is redrawn.
        with Vertical(id="home-now"):
            yield Static(id="home-now-clock")
            yield Static(id="home-now-pick")
        yield FilterInput(placeholder="Type to filter routines (name, tag, position)…", id="filter")
        with Horizontal(id="home"):
            yield OptionList(id="routines")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
                yield FigureStrip(id="preview-figures")
                yield Static(id="preview-rest")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "routines"
        self.query_one("#filter", Input).focus()
        if self.now is not None and self.now.pick.routine is not None:
            # Filled once, with the suggestion highlighted (show_now would fill it again).
            self._suggested = self.now.pick.routine.id
        self._fill("", self._suggested)
        if self.now is not None:
            self.show_now(self.now)
        problems = self.library.problems
        if problems:
            shown = "\n".join(str(p) for p in problems[:4])
            more = f"\n… and {len(problems) - 4} more" if len(problems) > 4 else ""
            self.notify(
                f"{shown}{more}\nThe other routines work; Ctrl+R lists the problems again.",
                title="Some routine files have problems",
                severity="error",
                timeout=20,
            )

    def _fill(self, query: str, keep: str | None = None) -> None:
        """List the routines matching ``query``, highlighting ``keep`` if it is among them
        (else the best match)."""
        options = self.query_one("#routines", OptionList)
        found = rank_routines(self.library.routines.values(), query)
        ids = [r.id for r in found]
        at = ids.index(keep) if keep in ids else 0
        # The list lays out every line it holds before it draws (each one's height), and
        # with hundreds of routines that was a third of the first frame: the lines that
        # fill the screen and the highlight come at once, the rest just after that frame.
        first = max(2 * self.app.size.height, at + 1)
        self._fills += 1
        options.set_options(self._option(r) for r in found[:first])
        if found:
            options.highlighted = at
        if len(found) > first:
            self.call_after_refresh(self._fill_rest, self._fills, found[first:])
        self._show_preview()

    def _fill_rest(self, fill: int, rest: list[Routine]) -> None:
        if fill == self._fills:  # else another filter has filled the list since
            self.query_one("#routines", OptionList).add_options(self._option(r) for r in rest)

    def _option(self, routine: Routine) -> Option:
        """The routine's line in the list, made once per routine object: an Option keeps
        its rendered text and height, so a keystroke that shows 750 routines again lays
        out none of them anew."""
        known = self._options.get(routine.id)
        if known is not None and known[0] is routine:
            return known[1]
        option = option_for(routine, self.floor, self.body)
        self._options[routine.id] = (routine, option)
        return option

    def show_now(self, now: Now) -> None:
        """The break clock, today so far and the suggestion; a new suggestion is
        highlighted while no filter is typed, so Enter starts it."""
        self.now = now
        try:
            clock_line = self.query_one("#home-now-clock", Static)
            pick_lines = self.query_one("#home-now-pick", Static)
        except NoMatches:  # not composed yet: on_mount shows it
            return
        clock_line.update(now_clock_text(now))
        shown = (now.pick.routine.id if now.pick.routine else None, now.pick.reason)
        if shown != self._shown_pick:
            self._shown_pick = shown
            pick_lines.update(now_pick_text(now))
        suggested = now.pick.routine.id if now.pick.routine is not None else None
        if suggested != self._suggested and not self.query_one("#filter", Input).value:
            self._suggested = suggested
            self._fill("", suggested)

    def show_floor(self, floor: bool) -> None:
        """The floor setting changed: every line and the preview say it anew."""
        self.floor = floor
        self._options.clear()
        if self.is_mounted:
            selected = self._selected()
            self._fill(self.query_one("#filter", Input).value, selected.id if selected else None)

    def show_library(self, library: Library, settings_problems: list[Problem]) -> None:
        """The files were edited: show the new routines without losing the user's place
        (the filter text, and the highlighted routine while it still exists)."""
        self.library = library
        self.settings_problems = settings_problems
        # Lines of routines that are gone are let go; the others are renewed as shown.
        self._options = {key: known for key, known in self._options.items() if key in library.routines}
        if self.is_mounted:
            selected = self._selected()
            self._fill(self.query_one("#filter", Input).value, selected.id if selected else None)
        self.refresh_bindings()

    def _selected(self) -> Routine | None:
        options = self.query_one("#routines", OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            return None
        return self.library.routines.get(option.id)

    def _show_preview(self) -> None:
        routine = self._selected()
        head, rest = (
            preview_parts(routine, self.floor, self.body)
            if routine
            else (Text("No routine matches. Esc clears the filter.", style="italic"), Text())
        )
        try:
            preview, figures, preview_rest = (
                self.query_one("#preview", Static),
                self.query_one(FigureStrip),
                self.query_one("#preview-rest", Static),
            )
        except NoMatches:  # the app closed under a home still being set up: nothing to show
            return
        preview.update(head)
        played = as_played(routine, self.floor, body=self.body) if routine else None
        figures.show(preview_figures(played) if played else ())
        preview_rest.update(rest)

    def on_input_changed(self, event: Input.Changed) -> None:
        # With the filter cleared the list is as it opened, the suggestion highlighted:
        # the line above says "Enter to start" of it.
        self._fill(event.value, None if event.value else self._suggested)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    def action_cursor(self, step: int) -> None:
        options = self.query_one("#routines", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    def action_toggle_floor(self) -> None:
        self.post_message(FloorToggled())

    def action_show_problems(self) -> None:
        self.post_message(ProblemsWanted())

    def action_start(self) -> None:
        routine = self._selected()
        if routine is not None:
            self.post_message(RoutineChosen(routine))
