"""The safety check-in and the advice given when something is not right.

In our own words, from the warning signs the source articles name (sharp or spreading
pain, pain that lasts, swelling, an injury, numbness, tingling, weakness) and from
general medical guidance for the red flags a clinician asks about, in three tiers of
urgency: emergency care now, a clinician today, a physical therapist or doctor soon.
Ordinary stiffness from sitting is what the app is for, so it is not a reason to stop. None of this is a diagnosis or an
assessment of the user; it says when to ask someone who can examine them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DISCLAIMER = "mobility-coach gives no medical advice. If something feels wrong, stop and ask a professional."
GENERAL = "This is general information, not an assessment of you."


Tier = Literal["soon", "today", "now"]
"""How soon a sign needs a clinician: a physical therapist or doctor soon, a clinician
today, or emergency care now."""


@dataclass(frozen=True)
class Question:
    """One warning sign the safety check-in asks the user to tick if it is true today."""

    id: str
    text: str
    tier: Tier = "soon"


QUESTIONS: tuple[Question, ...] = (
    Question("sharp", "Sharp pain as your back or neck moves or cracks, or pain spreading into a limb?"),
    # Ordinary back pain is best met by staying active: what lasts is pain that will not ease.
    Question("lasting", "Pain that has not eased over several weeks, or is getting worse?"),
    Question("swelling", "Swelling, or pain since a fall or another injury?"),
    Question("numbness", "Numbness, tingling, pins and needles or weakness in an arm or leg?"),
    # What a clinician asks about before treating back pain (general medical guidance).
    Question(
        "history",
        "Weight loss you cannot explain, a history of cancer, constant or night pain, or new "
        "pain with osteoporosis or long-term steroid use?",
    ),
    Question(
        "today",
        "Fever with back pain, weakness that is getting worse, symptoms in both legs, or unsteady walking?",
        tier="today",
    ),
    Question(
        "urgent",
        "Loss of bladder or bowel control, trouble passing urine, numbness around the groin or "
        "bottom, or chest pain or breathlessness with upper-back pain?",
        tier="now",
    ),
    Question(
        "neck",
        "After neck cracking: dizziness, double or lost vision, slurred speech, or a sudden "
        "severe headache or neck pain?",
        tier="now",
    ),
)

INTRO = (
    "Ordinary stiffness from sitting is a reason to move gently, not to stop. "
    "Tick anything below that is true for you today (space), then press s to start."
)

ADVICE = (
    "What you ticked is a reason to see a physical therapist or doctor soon, before exercising. "
    "Painless cracking now and then is usually harmless, but the signs you ticked should be looked "
    "at by someone who can examine you. Until then, skip the session or keep to movements that "
    f"feel completely comfortable, and stop at once if anything gets worse. {GENERAL}"
)

TODAY = (
    "What you ticked needs a clinician's assessment today. Please do not exercise now: contact "
    f"a doctor or an urgent care service today. {GENERAL}"
)

EMERGENCY = (
    "What you ticked can be a sign of a problem that needs emergency care. Please do not exercise: "
    f"call your local emergency number or go to an emergency department now. {GENERAL}"
)

WORSE_AFTER_SESSION = (
    "Thank you for saying so. Next time, make it smaller: a smaller range, and the easier "
    "versions of the harder exercises (a session today plays them), or a gentler routine (the "
    "next break suggests one). If feeling worse does not ease over the next weeks, or comes "
    "with pain that spreads, numbness, tingling or weakness, see a physical therapist or doctor."
)

PAIN_AFTER_SESSION = (
    "Some muscle soreness for a day or two after exercise that is new to you is common, and "
    "it fades by itself; staying gently active usually helps more than resting completely. "
    "Sharp pain, pain in a joint, or pain that spreads, does not ease over weeks, or comes "
    "with swelling, numbness, tingling or weakness is different: leave out the exercise that "
    f"brought it on and see a physical therapist or doctor before the next session. {GENERAL}"
)


def flagged(answers: dict[str, bool]) -> list[Question]:
    """The questions answered yes."""
    return [q for q in QUESTIONS if answers.get(q.id)]


def advice_for(ticked: list[Question]) -> tuple[str, str, bool]:
    """(title, advice, may go on anyway) for what was ticked, by its most urgent sign:
    emergency care now, a clinician today (neither offers a way to start the session),
    or a physical therapist or doctor soon."""
    tiers = {q.tier for q in ticked}
    if "now" in tiers:
        return "Please get emergency care now", EMERGENCY, False
    if "today" in tiers:
        return "Please see a clinician today", TODAY, False
    return "Please check with a professional first", ADVICE, True
