"""The cracking journal's answers: what a kind of back sound usually means, how concerned
to be, and what to do instead of forcing a twist.

Our own words, from the source articles' checklist and their table of joint sounds. It
explains and points to a professional; it diagnoses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

SOUNDS: dict[str, tuple[str, str, str]] = {
    # id: (label, what it can be, how concerned to be: the level first, then why)
    "single_pop": (
        "A single pop",
        "A single pop is often gas coming out of the fluid inside a small spinal joint as the "
        "pressure in it changes. Now and then and without pain, it is normal and does not cause "
        "arthritis. The relief it brings can come without any real change in the joint.",
        "low, this is usually normal",
    ),
    "repeated_snapping": (
        "Repeated snapping",
        "Repeated snapping can come from a tendon or muscle sliding over a bony edge, more often "
        "when the muscles around it are tight.",
        "moderate, worth keeping an eye on",
    ),
    "grinding": (
        "Grinding or grating",
        "Grinding or grating can come with wear of the joint surfaces, which becomes more common "
        "with age; it matters more together with pain, stiffness or swelling.",
        "higher, worth having checked",
    ),
    # Stored as "clicking" since the journal began; the label now names both sounds.
    "clicking": (
        "Rumbling or clicking as you move",
        "Rumbling or clicking as you move can come from a small joint that is irritated or "
        "moving less freely than usual.",
        "moderate; gentle mobility work may help",
    ),
}
AREAS: dict[str, str] = {"neck": "neck", "upper": "upper back", "mid": "middle back", "lower": "lower back"}

SEE_A_PROFESSIONAL = (
    "Please see a physical therapist or doctor soon: pain with cracking, or grinding, is a reason to have it "
    "examined, as are swelling, numbness, tingling, weakness or pain that spreads into a limb."
)
SOUND_ALONE = (
    "A sound on its own cannot show what causes it, and joint noises become more common with age; "
    "how it feels matters more than how it sounds."
)
INSTEAD = (
    "Instead of twisting until it cracks, you could try a minute of controlled movement: slow cat-cow and "
    "gentle rotations can ease the stiffness behind the urge without forcing a joint."
)
INSTEAD_NECK = (
    "Instead of cracking your neck, you could try a minute of slow neck movement: chin tucks and easy turns, "
    "with nothing forced."
)
NECK = (
    "Be especially gentle with your neck: forceful neck cracking carries more risk than the middle or lower "
    "back. After cracking your neck, dizziness, double or lost vision, slurred speech, or a sudden severe "
    "headache or neck pain need emergency care now: call your local emergency number."
)
HURT_CONCERN = "higher, because it hurt, and pain is a reason to have it checked"
URGE = (
    "The urge to crack often comes with stiffness after sitting still. Forcing the crack brings brief relief "
    "at most, and the stiffness, and the urge, tend to come back; moving the stiff part gently and slowly "
    "eases it without forcing a joint."
)
# Cracking this many times a day, on average over the last week, is itself worth an assessment.
FREQUENT_PER_DAY = 3
FREQUENT_DAYS = 7
FREQUENT = (
    "Your journal shows cracking many times a day over the past week. Cracking that often is worth an "
    "assessment by a physical therapist in itself, even when it does not hurt."
)
DRILL = "crack-swap"
NECK_DRILL = "neck-swap"


@dataclass(frozen=True)
class Answer:
    """What the journal says back to an entry: what it usually means, how concerned to be, and what to do instead."""

    subject: str
    """What was logged, e.g. "an urge to crack (neck)"."""
    meaning: str
    concern: str | None
    see_professional: bool
    advice: tuple[str, ...]
    drill: str | None = DRILL
    """The routine offered instead of cracking: the neck drill when the urge is in the neck;
    None after a painful crack, when the advice is to have it examined, not to move more."""

    @property
    def title(self) -> str:
        return f"Noted: {self.subject}"

    @property
    def concern_line(self) -> str | None:
        """ "How concerned to be: low, this is normal.": the one wording, for every face."""
        return f"How concerned to be: {self.concern}." if self.concern else None

    def text(self, saved: bool = True) -> str:
        """The answer in full; ``saved=False`` when the entry could not be kept, so the
        first line never claims it was."""
        lines = [self.title if saved else f"Not saved: {self.subject}", "", self.meaning]
        if self.concern_line:
            lines.append(self.concern_line)
        lines += ["", *self.advice]
        return "\n".join(lines)


def frequent(cracks_this_week: int) -> bool:
    """Whether the last week's cracks come to many a day."""
    return cracks_this_week >= FREQUENT_PER_DAY * FREQUENT_DAYS


def answer(kind: str, sound: str | None, hurt: bool, area: str | None, cracks_this_week: int = 0) -> Answer:
    """What the journal says back to an entry; ``cracks_this_week``: the cracks logged in
    the last seven days, this one included."""
    where = f" ({AREAS[area]})" if area in AREAS else ""
    if kind == "urge":
        meaning, concern, subject = URGE, None, f"an urge to crack{where}"
    else:
        unknown = ("A crack", "A crack is a joint moving; without pain it is usually harmless.", "low if painless")
        label, meaning, concern = SOUNDS.get(sound or "", unknown)
        subject = f"{label.lower()}{where}"
        if hurt:
            # Whatever the sound usually means, pain changes the answer.
            concern = HURT_CONCERN
    see_professional = hurt or sound == "grinding"
    advice: list[str] = []
    if see_professional:
        advice.append(SEE_A_PROFESSIONAL)
    elif frequent(cracks_this_week):
        advice.append(FREQUENT)
    if kind != "urge":
        advice.append(SOUND_ALONE)
    if area == "neck":
        advice.append(NECK)
    if hurt:  # no drill straight after a painful crack: first have it examined
        return Answer(subject, meaning, concern, see_professional, tuple(advice), None)
    advice.append(INSTEAD_NECK if area == "neck" else INSTEAD)
    return Answer(subject, meaning, concern, see_professional, tuple(advice), NECK_DRILL if area == "neck" else DRILL)
