"""What the problems list and the statistics say when there is little to say."""

from __future__ import annotations

from pathlib import Path

from mobility_coach.core.errors import Problem
from mobility_coach.tui.screens.problems import problems_text
from mobility_coach.tui.screens.stats import bar_chart

ROUTINE = [Problem(Path("/r/bad.yaml"), 3, 5, "unknown key 'nmae'")]
SETTINGS = [Problem(Path("/c/config.yaml"), 2, 1, "unknown setting")]


def test_settings_problems_point_at_config_routine_problems_at_validate() -> None:
    settings_only = problems_text([], SETTINGS).plain
    assert "'mobility-coach config'" in settings_only and "validate" not in settings_only
    routine_only = problems_text(ROUTINE, []).plain
    assert "'mobility-coach validate'" in routine_only and "'mobility-coach config'" not in routine_only
    both = problems_text(ROUTINE, SETTINGS).plain
    assert "'mobility-coach validate'" in both and "'mobility-coach config'" in both


def test_an_empty_chart_says_so_instead_of_drawing_no_bars() -> None:
    labels = [f"{day:2d}" for day in range(1, 15)]
    empty = bar_chart((0.0,) * 14, labels, "a day", "nothing logged yet").plain
    assert empty == "nothing logged yet\n"
    drawn = bar_chart((0.0,) * 13 + (2.0,), labels, "a day", "nothing logged yet").plain
    assert drawn.startswith("most 2 a day") and "nothing" not in drawn
