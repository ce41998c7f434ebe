"""Text from files is shown on a terminal as text, never acted on as control characters."""

import re

from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.terminal_text import first_control, visible

# Every character a terminal acts on or that reorders text: C0 but tab and newline, DEL,
# C1, the bidi embeddings, overrides and isolates.
CONTROL_CHARACTERS = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\t\n"),
    *(chr(c) for c in range(0x7F, 0xA0)),
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
]
ANY_CONTROL = re.compile("[" + "".join(CONTROL_CHARACTERS) + "]")


def test_the_sequences_that_retitle_write_the_clipboard_and_clear_are_shown_as_text() -> None:
    assert visible("Evil\x1b]2;PWNED\x07") == "Evil\\x1b]2;PWNED\\x07"
    assert visible("\x1b]52;c;SGVsbG8=\x07") == "\\x1b]52;c;SGVsbG8=\\x07"
    assert visible("\x1b[2J\x9b31m\x7f\r") == "\\x1b[2J\\x9b31m\\x7f\\x0d"
    assert visible("abc\u202edef\u2066") == "abc\\u202edef\\u2066"


def test_newlines_tabs_and_other_text_are_left_as_they_are() -> None:
    text = "Cat-cow\tx 6\nRücken · 背中 ⣿ \u00a0 \u2028 é"
    assert visible(text) is text
    assert first_control(text) is None


def test_the_first_control_character_is_named_as_it_is_shown() -> None:
    assert first_control("a\u202eb\x1b") == "\\u202e"


def shown_by_hand(character: str) -> str:
    code = ord(character)
    if character not in CONTROL_CHARACTERS:
        return character
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@given(st.text())
def test_no_control_character_survives_and_the_rest_is_kept(text: str) -> None:
    shown = visible(text)
    assert not ANY_CONTROL.search(shown)
    assert shown == "".join(shown_by_hand(c) for c in text)
