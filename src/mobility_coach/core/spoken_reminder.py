"""What the voice says when a break is due: the notification's title and the routine it
offers, short enough to follow the alert tone without keeping anyone waiting."""

from __future__ import annotations

REMINDER_TITLE = "Time to move"


def reminder_prompt(routine_name: str | None) -> str:
    """The spoken prompt for a due break ("Time to move: Hourly desk break")."""
    offer = routine_name.strip() if routine_name else ""
    return f"{REMINDER_TITLE}: {offer or 'stand up for a few minutes'}"
