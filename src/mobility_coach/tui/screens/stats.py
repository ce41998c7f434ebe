"""The stats screen: today, two weeks of movement and of journal entries, the streak,
favourite routines, and the urge to crack week by week."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from mobility_coach.core.history.stats import Stats
from mobility_coach.core.terminal_text import visible
from mobility_coach.tui.widgets.title_bar import TitleBar

BARS = " ▁▂▃▄▅▆▇█"


def bar_chart(values: tuple[float, ...], labels: list[str], unit: str, empty: str) -> Text:
    """One column per day: bars scaled to the largest value, its number on top; ``empty``
    instead when there is nothing to draw (a "most 1" above no bars would be untrue)."""
    text = Text()
    if not any(values):
        text.append(f"{empty}\n", style="dim italic")
        return text
    peak = max(values)
    text.append(f"most {peak:.0f} {unit}\n", style="dim")
    rows = 3
    blank = " "
    for row in range(rows, 0, -1):
        line = ""
        for value in values:
            level = value / peak * rows
            fill = min(1.0, max(0.0, level - (row - 1)))
            cell = BARS[round(fill * 8)] if value and round(fill * 8) else blank
            line += cell * 2 + blank
        text.append(line + "\n", style="green" if unit == "min" else "yellow")
    text.append(blank.join(label.replace(" ", blank) for label in labels) + "\n", style="dim")
    return text


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, stats: Stats | None) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats"):
            if self.stats is None:
                yield Static("No history is available (it could not be opened); see the message above.")
            else:
                yield from self._parts(self.stats)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "your movement"

    def _parts(self, stats: Stats) -> ComposeResult:
        t = stats.today
        today = Text()
        today.append("Today   ", style="bold")
        today.append(f"moved {t.minutes_moved:.0f} min\n")
        today.append("Breaks  ", style="bold")
        today.append(t.breaks_line() + "\n")
        today.append("Streak  ", style="bold")
        days = "day" if stats.streak == 1 else "days"
        today.append(f"{stats.streak} {days} in a row with a session\n")
        if stats.top_routines:
            today.append("Most    ", style="bold")
            today.append(" · ".join(f"{visible(name)} ({count})" for name, count in stats.top_routines) + "\n")
        yield Static(today, id="today")
        labels = [f"{d.day:2d}" for d in stats.days]
        moved = Text("Minutes moved, last 14 days  ", style="bold")
        moved.append_text(bar_chart(stats.minutes_per_day, labels, "min", "no sessions yet"))
        yield Static(moved, classes="chart")
        cracks = Text("Cracks and urges, last 14 days  ", style="bold")
        per_day = tuple(float(v) for v in stats.journal_per_day)
        cracks.append_text(bar_chart(per_day, labels, "a day", "nothing logged yet"))
        yield Static(cracks, classes="chart")
        weekly = Text("Cracks and urges per day, week by week\n", style="bold")
        if any(rate for _, rate in stats.weekly_journal):
            weekly.append("  ".join(f"{start:%d %b} {rate:.1f}" for start, rate in stats.weekly_journal))
        else:
            weekly.append("nothing logged yet", style="dim italic")
        *earlier, (_, now) = stats.weekly_journal
        if earlier:
            peak_week, peak = max(earlier, key=lambda week: week[1])
            if peak > 0 and now < peak:
                weekly.append(
                    f"\nDown from {peak:.1f} a day (week of {peak_week:%d %b}) to {now:.1f} this week:"
                    " the habit is fading.",
                    style="green",
                )
        yield Static(weekly, id="weekly")
