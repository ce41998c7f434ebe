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

        await advance(pilot, 76.0)
        heard = [(round(at - speaker.played[0][0], 2), name) for at, name in speaker.played]
        # Knee drops: where to go and what to do, said at its get-ready (no "ready" tone),
        # which is long enough to get down to the floor; counted in, 10 tempo reps with
        # their tones, then the rest names what is next.
        assert heard[:5] == [
            (0, stem("Get down on the floor: on your back. Knee drops, 10 reps. Lie on your back.")),
            (12, stem("Three.")),
            (13, stem("Two.")),
            (14, stem("One.")),
            (15, "go"),
        ]
        assert heard[5:14] == [(15 + 6 * k, "rep") for k in range(1, 10)]
        assert heard[14] == (75, stem("Rest. Next: Open book, 8 reps each side."))
        keys = [key.description for key in app.screen.query(FooterKey)]
        assert "Voice on" in keys and "No voice" not in keys
        # Once every form is rendered, the plan is fitted to their measured lengths: the
        # full switch line fits in the 2 s the estimate had kept for "Switch sides." alone.
        plan = player_screen(app).runner.speech
        assert plan is not None and "Switch sides: right side." in {line.text for line in plan.lines}

        await pilot.press("v")
        await advance(pilot, 15.0)  # the rest's count-in, now in tones
        assert [name for _, name in speaker.played[15:]] == ["tick", "tick", "tick", "ready"]
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
