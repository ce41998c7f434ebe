"""The voice in the player: phrases play in place of their tones at the cue's second, and
`v` switches to tones only, shown in the footer and remembered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from mobility_coach.core.clock import FakeClock
from tests.bounded import within
from tests.tui.conftest import FakeSpeaker, advance, asyncio_test, fake_voice, make_app, player_screen
from tests.tui.test_layout import visible_keys


@asyncio_test
async def test_the_session_is_spoken_and_v_switches_to_tones(home: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    speaker = FakeSpeaker(clock)
    app = make_app(home, start="floor-mobility", clock=clock, speaker=speaker, voice=fake_voice(tmp_path / "speech"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")  # the check-in: clear
        voice = app.cues.voice
        assert voice is not None
        within(10, voice.wait_until_prepared, "rendering the session's phrases")

        def stem(text: str) -> str:
            path = voice.ready(text)
            assert path is not None, text
            return path.stem

        await advance(pilot, 80.0)
        heard = [(round(at - speaker.played[0][0], 2), name) for at, name in speaker.played]
        # Knee drops: how to get down and into position, and what to do, said at its
        # get-ready (no "ready" tone), which lasts as long as that takes; counted in, then
        # each rep's phases said (in full for two reps, then a word each), then the rest
        # names what is next and how to get into position.
        assert heard[:5] == [
            (
                0,
                stem(
                    "Get down onto your mat, one knee at a time. Knee drops, 6 reps. "
                    "Lie on your back, knees bent, feet flat, arms out to the sides."
                ),
            ),
            (16, stem("Three.")),
            (17, stem("Two.")),
            (18, stem("One.")),
            (19, stem("Knees to the left.")),
        ]
        words = ["Knees to the left.", "Back to the middle.", "Knees to the right.", "Back to the middle."]
        assert heard[4:12] == [(19 + 2.5 * k, stem(words[k % 4])) for k in range(8)]
        assert heard[12:28] == [
            (39 + 2.5 * k, stem(["Left.", "Middle.", "Right.", "Middle."][k % 4])) for k in range(16)
        ]
        assert heard[28] == (
            79,
            stem(
                "Rest. Next: Open book, 8 reps each side. Roll onto your left side, head on a pillow, "
                "knees bent in front, arms out in front, palms together."
            ),
        )
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert "Voice on" in keys and "No voice" not in keys
        # Once every form is rendered, the plan is fitted to their measured lengths; the
        # switch says how to roll to the other side in full.
        plan = player_screen(app).runner.speech
        switch = "Switch sides. Close the book, roll onto your back, then over onto your right side, knees bent."
        assert plan is not None and switch in {line.text for line in plan.lines}

        await pilot.press("v")
        before = len(speaker.played)
        await advance(pilot, 16.0)  # the rest has no count of its own: the get-ready, now a tone
        assert [name for _, name in speaker.played[before:]] == ["ready"]
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert "No voice" in keys and "Voice on" not in keys
    assert json.loads((home / "data" / "state.json").read_text())["voice"] is False
    again = make_app(home, voice=fake_voice(tmp_path / "speech"))
    assert again.cues.voice is not None and not again.cues.voice.on


@asyncio_test
async def test_muting_leaves_the_voice_key_saying_what_v_would_change(home: Path, tmp_path: Path) -> None:
    app = make_app(home, start="desk-break", clock=FakeClock(), voice=fake_voice(tmp_path / "speech"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")  # the check-in: clear
        await pilot.press("m")
        await advance(pilot, 0.25)  # the next tick shows the keys
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert app.cues.muted and "Voice on" in keys  # muted, but the voice itself is still on
        await pilot.press("v")  # while muted: the voice's own switch, as its key said
        await advance(pilot, 0.25)  # the next tick shows the keys
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert "No voice" in keys and app.state.voice is False
        await pilot.press("v")
        await advance(pilot, 0.25)  # the next tick shows the keys
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert "Voice on" in keys and app.state.voice is True and app.cues.muted


def whole_keys(screen: Widget) -> bool:
    """Whether every key label shown is whole: none under the palette's key at the right,
    none cut at the screen's edge."""
    shown = [key for key in screen.query(FooterKey) if key.display and key.region]
    palette = [key.region.x for key in shown if key.has_class("-command-palette")]
    right = min(palette, default=screen.size.width)
    return all(key.region.right <= right for key in shown if not key.has_class("-command-palette"))


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@asyncio_test
async def test_muted_the_footer_says_so_and_v_says_what_will_be_heard(
    home: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    # The footer said "Voice on" (or nothing) while everything was muted, and v said
    # "Voice on, once sound is: everything is muted (m)."
    app = make_app(home, start="desk-break", clock=FakeClock(), voice=fake_voice(tmp_path / "speech"))
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("s")  # the check-in: clear
        await advance(pilot, 0.25)
        assert "Muted" not in visible_keys(app.screen)
        await pilot.press("m")
        await advance(pilot, 0.25)  # the next tick shows the keys
        assert {"Pause", "Next", "Muted", "Cautions", "Quit"} <= visible_keys(app.screen)
        assert whole_keys(app.screen), "a key's label runs under the palette's or off the screen"

        def toasts() -> list[str]:
            return [str(toast.render()) for toast in app.screen.query(Toast)]

        await pilot.press("v")
        await pilot.press("v")
        await pilot.pause()
        assert toasts()[-2:] == [
            "Voice off: tones only, once sound is back on (m).",
            "The voice will speak once sound is back on: everything is muted (m).",
        ]
        await pilot.press("m")
        await advance(pilot, 0.25)
        assert "Muted" not in visible_keys(app.screen)
