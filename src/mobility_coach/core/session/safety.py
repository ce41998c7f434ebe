"""The safety check-in and the advice given when something is not right.

In our own words, from the warning signs the source articles name (sharp or spreading
pain, pain that lasts, swelling, an injury, numbness, tingling, weakness) and from
general medical guidance for the urgent ones. Ordinary stiffness from sitting is what
the app is for, so it is not a reason to stop. None of this is a diagnosis or an
assessment of the user; it says when to ask someone who can examine them.
"""

from __future__ import annotations

from dataclasses import dataclass

DISCLAIMER = "mobility-coach gives no medical advice. If something feels wrong, stop and ask a professional."
GENERAL = "This is general information, not an assessment of you."


@dataclass(frozen=True)
class Question:
    """One warning sign the safety check-in asks the user to tick if it is true today."""

    id: str
    text: str
    urgent: bool = False
    """A sign that needs prompt care, not an appointment next week."""


QUESTIONS: tuple[Question, ...] = (
    Question("sharp", "Sharp pain when your back or neck moves or cracks?"),
    Question("radiating", "Pain that spreads into an arm, buttock or leg?"),
    Question("lasting", "Pain that has lasted more than a few days?"),
    Question("swelling", "Swelling, or pain since a fall or another injury?"),
    Question("numbness", "Numbness, tingling or pins and needles in a limb?"),
    Question("weakness", "An arm or leg that feels weak?"),
    # The urgent tier, from general medical guidance: one line, so the check stays short.
    Question(
        "urgent",
        "Loss of bladder or bowel control, numbness around the groin or bottom, weakness that is "
        "getting worse, fever with back pain, or dizziness or changed vision or speech after neck cracking?",
        urgent=True,
    ),
)

INTRO = (
    "Ordinary stiffness from sitting is a reason to move gently, not to stop. "
    "Tick anything below that is true for you today (space), then press s to start."
)

ADVICE = (
    "What you ticked is a reason to see a physical therapist or doctor before exercising. "
    "Painless cracking now and then is usually harmless, but sharp pain, pain that spreads "
    "or lasts, swelling, an injury, numbness, tingling or weakness should be looked at by "
    "someone who can examine you. Until then, skip the session or keep to movements that "
    f"feel completely comfortable, and stop at once if anything gets worse. {GENERAL}"
)

URGENT = (
    "What you ticked can be a sign that needs prompt care. Please do not exercise now: "
    "contact a doctor or an urgent care service today, or emergency services if it came on "
    f"suddenly or is severe. {GENERAL}"
)

WORSE_AFTER_SESSION = (
    "Thank you for saying so. Next time, make it smaller: a smaller range, fewer reps, or a "
    "gentler routine (the next break suggests one). If feeling worse lasts more than a few "
    "days, or comes with pain, numbness, tingling or weakness, see a physical therapist or doctor."
)

PAIN_AFTER_SESSION = (
    "Some muscle soreness for a day or two after exercise that is new to you is common, and "
    "it fades by itself; staying gently active usually helps more than resting completely. "
    "Sharp pain, pain in a joint, or pain that spreads, lasts more than a few days, or comes "
    "with swelling, numbness, tingling or weakness is different: leave out the exercise that "
    f"brought it on and see a physical therapist or doctor before the next session. {GENERAL}"
)


def flagged(answers: dict[str, bool]) -> list[Question]:
    """The questions answered yes."""
    return [q for q in QUESTIONS if answers.get(q.id)]


def advice_for(ticked: list[Question]) -> tuple[str, str, bool]:
    """(title, advice, may go on anyway) for what was ticked: the urgent tier offers no
    way to start the session."""
    if any(q.urgent for q in ticked):
        return "Please get prompt medical care", URGENT, False
    return "Please check with a professional first", ADVICE, True
