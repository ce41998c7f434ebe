"""The journal's answers and the statistics drawn from the history."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mobility_coach.core.history.journal import (
    FREQUENT,
    HURT_CONCERN,
    INSTEAD,
    INSTEAD_NECK,
    SEE_A_PROFESSIONAL,
    SOUND_ALONE,
    SOUNDS,
    answer,
)
from mobility_coach.core.history.stats import summarize
from mobility_coach.core.history.store import History

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("sound", "hurt", "concern", "professional"),
    [
        ("single_pop", False, "low, this is usually normal", False),
        ("repeated_snapping", False, "moderate, worth keeping an eye on", False),
        ("clicking", False, "moderate; gentle mobility work may help", False),
        ("grinding", False, "higher, worth having checked", True),
        ("single_pop", True, HURT_CONCERN, True),  # pain overrides what the sound usually means
    ],
)
def test_each_sound_has_its_meaning_and_pain_or_grinding_sends_to_a_professional(
    sound: str, hurt: bool, concern: str, professional: bool
) -> None:
    reply = answer("crack", sound, hurt, "mid")
    assert reply.concern == concern and reply.see_professional is professional
    assert (SEE_A_PROFESSIONAL in reply.advice) is professional
    # After a painful crack the answer is to have it examined: no drill is offered then.
    assert reply.advice[-1].startswith("Instead of twisting until it cracks") is not hurt
    assert (reply.drill is None) is hurt
    assert "(middle back)" in reply.title


@pytest.mark.parametrize("sound", [None, *SOUNDS])
def test_a_crack_that_hurt_is_never_low_concern(sound: str | None) -> None:
    reply = answer("crack", sound, True, None)
    assert reply.concern is not None and not reply.concern.startswith("low")
    assert "painless" not in reply.text() and reply.see_professional


def test_an_urge_and_the_neck() -> None:
    reply = answer("urge", None, False, "neck")
    assert reply.title == "Noted: an urge to crack (neck)" and "stiffness" in reply.meaning
    assert any("neck" in line for line in reply.advice) and not reply.see_professional
    # The neck gets its own drill, and the back drill's wording is not offered.
    assert reply.drill == "neck-swap" and INSTEAD not in reply.advice and INSTEAD_NECK in reply.advice
    assert answer("urge", None, False, "lower").drill == "crack-swap"


def test_the_sound_table_offers_rumbling_and_words_stay_hedged() -> None:
    assert SOUNDS["clicking"][0] == "Rumbling or clicking as you move"
    every = " ".join(" ".join(entry) for entry in SOUNDS.values()).lower()
    assert "track" not in every and "out of place" not in every and "misalign" not in every
    pop = answer("crack", "single_pop", False, None)
    assert "does not cause arthritis" in pop.meaning and "without any real change" in pop.meaning
    assert SOUND_ALONE in pop.advice and "more common with age" in SOUND_ALONE


def test_cracking_many_times_a_day_for_a_week_is_worth_an_assessment() -> None:
    assert FREQUENT not in answer("crack", "single_pop", False, None, cracks_this_week=20).advice
    often = answer("crack", "single_pop", False, None, cracks_this_week=21)
    assert FREQUENT in often.advice and not often.see_professional


def day(text: str, hour: int = 10) -> float:
    return datetime.strptime(text, "%Y-%m-%d").replace(hour=hour, tzinfo=BERLIN).timestamp()


def test_stats_today_chart_streak_favourites_and_weekly_urges(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    today = "2026-11-20"
    for offset, minutes in ((0, 3), (1, 10), (2, 3), (4, 5)):  # a gap three days ago breaks the streak
        started = day(today) - offset * 86400
        session = history.session_started(
            "desk-break" if offset else "floor-mobility",
            "Hourly desk break" if offset else "Floor mobility",
            4,
            at=started,
        )
        history.session_ended(session, "completed", 4, minutes * 60, at=started + minutes * 60)
    for kind in ("due", "due", "taken", "snoozed", "skipped", "natural_idle"):
        history.record_break(kind, "app", at=day(today, 11))  # type: ignore[arg-type]
    history.record_break("due", "app", at=day("2026-11-19", 11))
    for days_ago, count in ((0, 1), (1, 2), (10, 4), (20, 6)):
        for _ in range(count):
            history.record_journal("crack", "single_pop", False, "mid", at=day(today) - days_ago * 86400)
    stats = summarize(history, day(today, 18), BERLIN)
    t = stats.today
    assert (t.due, t.taken, t.snoozed, t.skipped, t.natural, t.minutes_moved) == (2, 1, 1, 1, 1, 3.0)
    assert stats.days[-1].isoformat() == today and len(stats.days) == 14
    assert stats.minutes_per_day[-5:] == (5.0, 0.0, 3.0, 10.0, 3.0)
    assert stats.journal_per_day[-2:] == (2, 1) and stats.journal_per_day[-11] == 4
    assert stats.streak == 3
    assert stats.top_routines == (("Hourly desk break", 3), ("Floor mobility", 1))
    weeks = dict(stats.weekly_journal)
    monday = datetime(2026, 11, 16).date()
    assert weeks[monday] == pytest.approx(3 / 5)  # this week so far: Mon to Fri
    assert weeks[monday - timedelta(days=7)] == pytest.approx(4 / 7)  # 10 days ago
    assert weeks[monday - timedelta(days=14)] == 0
    assert weeks[monday - timedelta(days=21)] == pytest.approx(6 / 7)  # 20 days ago: the habit fades


@pytest.mark.parametrize("hurt", [False, True])
@pytest.mark.parametrize("sound", [None, *SOUNDS])
def test_the_concern_reads_as_one_sentence_with_one_colon(sound: str | None, hurt: bool) -> None:
    line = answer("crack", sound, hurt, None).concern_line
    assert line is not None and line.startswith("How concerned to be: ") and line.count(":") == 1, line
    assert line in answer("crack", sound, hurt, None).text()


def test_the_journal_claims_only_what_the_sources_support_and_tiers_the_neck_signs() -> None:
    urge = answer("urge", None, False, "neck")
    assert "overstretch" not in urge.meaning and "tire" not in urge.meaning
    crack = answer("crack", "single_pop", True, "neck")
    said = " ".join(crack.advice)
    assert "your back" not in said and "have it examined" in said  # a neck is not a back
    assert "emergency care now" in said and "slurred speech" in said  # as the check-in says
    assert crack.drill is None
