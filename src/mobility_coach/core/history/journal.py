"""The cracking journal's answers: what a kind of back sound usually means, how concerned
to be, and what to do instead of forcing a twist.

Our own words, from the source articles' checklist and their table of joint sounds. It
explains and points to a professional; it diagnoses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

SOUNDS: dict[str, tuple[str, str, str]] = {
    # id: (label, what it usually is, how concerned to be: the level first, then why)
    "single_pop": (
        "A single pop",
        "A single pop is usually gas escaping from the fluid inside a small spinal joint as the "
        "pressure changes. It is common and, without pain, normally harmless; the relief it brings "
        "is real but brief.",
        "low, this is normal",
    ),
    "repeated_snapping": (
        "Repeated snapping",
        "Repeated snapping is often a tendon or muscle sliding over a bony edge, more so when "
        "the muscles around it are tight.",
        "moderate, keep an eye on it",
    ),
    "grinding": (
        "Grinding or grating",
        "Grinding or grating can come with worn cartilage or arthritis, especially together with "
        "stiffness or swelling.",
        "high, worth having checked",
    ),
    "clicking": (
        "Clicking as you move",
        "Clicking as you move may be a small joint that is irritated or moving a little out of its best track.",
        "moderate, more mobility usually helps",
    ),
}
AREAS: dict[str, str] = {"neck": "neck", "upper": "upper back", "mid": "middle back", "lower": "lower back"}

SEE_A_PROFESSIONAL = (
    "Please see a physical therapist or doctor: pain with cracking, or grinding, is a reason to have your back "
    "examined, as are swelling, numbness, tingling, weakness or pain that spreads into a limb."
)
INSTEAD = (
    "Instead of twisting until it cracks, try a minute of controlled movement: slow cat-cow and gentle "
    "rotations ease the stiffness behind the urge without forcing a joint."
)
NECK = "Be especially gentle with your neck: forceful neck cracking carries more risk than the mid or lower back."
HURT_CONCERN = "high, because it hurt, and pain is a reason to have it checked"
URGE = (
    "The urge to crack usually comes from stiffness after sitting still. Forcing the crack brings brief "
    "relief, and doing it again and again can tire and overstretch the muscles that keep the spine steady."
)


@dataclass(frozen=True)
class Answer:
    subject: str
    """What was logged, e.g. "an urge to crack (neck)"."""
    meaning: str
    concern: str | None
    see_professional: bool
    advice: tuple[str, ...]

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


def answer(kind: str, sound: str | None, hurt: bool, area: str | None) -> Answer:
    """What the journal says back to an entry."""
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
    if area == "neck":
        advice.append(NECK)
    advice.append(INSTEAD)
    return Answer(subject, meaning, concern, see_professional, tuple(advice))
