"""The safety check-in and the advice given when something is not right.

Written in our own words from the red flags in the source articles: pain or swelling with
the cracking, a recent injury, numbness, tingling, weakness, or pain that spreads. It is
not a diagnosis and makes no medical claim; it tells the user when to ask a professional.
"""

from __future__ import annotations

from dataclasses import dataclass

DISCLAIMER = "mobility-coach gives no medical advice. If something feels wrong, stop and ask a professional."


@dataclass(frozen=True)
class Question:
    id: str
    text: str


QUESTIONS: tuple[Question, ...] = (
    Question("pain", "Does it hurt when your back cracks or moves?"),
    Question("swelling", "Is there swelling, or have you hurt your back recently?"),
    Question("numbness", "Do you have numbness in an arm, leg, hand or foot?"),
    Question("tingling", "Do you feel tingling or pins and needles in a limb?"),
    Question("weakness", "Has an arm or leg felt weak?"),
    Question("radiating", "Does pain travel from your back into an arm, buttock or leg?"),
)

ADVICE = (
    "What you ticked is a reason to see a physical therapist or doctor before exercising. "
    "Painless cracking now and then is usually harmless, but pain, swelling, a recent "
    "injury, numbness, tingling, weakness or pain that spreads should be looked at by "
    "someone who can examine you. Until then, skip the session or keep to movements that "
    "feel completely comfortable, and stop at once if anything gets worse."
)

PAIN_AFTER_SESSION = (
    "Pain after gentle movement is worth taking seriously. Rest, and if it does not settle "
    "within a few days, or it comes with swelling, numbness, tingling, weakness or pain "
    "that spreads, see a physical therapist or doctor before the next session."
)


def flagged(answers: dict[str, bool]) -> list[Question]:
    """The questions answered yes."""
    return [q for q in QUESTIONS if answers.get(q.id)]
