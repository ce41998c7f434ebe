"""The built-in positions a figure starts from, and the plain figure of each position.

Side views face right (the figure's front is to the right of the picture); the left side
of an exercise is drawn mirrored. Angles follow ``skeleton``: 0 right, 90 up, -90 down.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobility_coach.core.figures.skeleton import Point, Pose, make_pose

# Side views hide the shoulder and hip widths: the far limbs hang from the same joints.
_NARROW = {"shoulder": 0.0, "other_shoulder": 0.0, "hip": 0.0, "other_hip": 0.0}
_WIDE = {"shoulder": 180.0, "other_shoulder": 0.0, "hip": 180.0, "other_hip": 0.0}
_UPRIGHT = {"back": 90.0, "upper_back": 90.0, "neck": 90.0}


@dataclass(frozen=True)
class Base:
    """A built-in starting position: the pose a figure is changed from, and the floor or chair drawn with it."""

    name: str
    description: str
    pose: Pose
    floor: bool = True
    """Draw the floor under the lowest point (not in a view from above)."""
    chair: tuple[tuple[Point, Point], ...] = ()
    """Lines of a chair, in the figure's units (pelvis at 0, 0)."""


def _side(angles: dict[str, float]) -> Pose:
    return make_pose({**_NARROW, **angles}, {name: 0.0 for name in ("shoulder", "other_shoulder", "hip", "other_hip")})


def _front(angles: dict[str, float], lengths: dict[str, float] | None = None) -> Pose:
    return make_pose({**_WIDE, **angles}, lengths)


# The chair's back stands clear behind the sitter and stops below the shoulder blades,
# so a body that leans back or rounds is not crossed by it.
_SIDE_CHAIR = (
    ((-1.0, -0.25), (1.2, -0.25)),
    ((-1.0, -0.25), (-1.0, -1.9)),
    ((1.2, -0.25), (1.2, -1.9)),
    ((-1.0, -0.25), (-1.15, 1.6)),
)
_FRONT_CHAIR = (((-1.3, -0.3), (1.3, -0.3)), ((-1.3, -0.3), (-1.3, -1.9)), ((1.3, -0.3), (1.3, -1.9)))

BASES: dict[str, Base] = {
    base.name: base
    for base in (
        Base(
            "standing",
            "standing, seen from the side",
            _side(
                {
                    **_UPRIGHT,
                    "arm": -90,
                    "forearm": -90,
                    "other_arm": -92,
                    "other_forearm": -92,
                    "thigh": -90,
                    "shin": -90,
                    "other_thigh": -91,
                    "other_shin": -91,
                }
            ),
        ),
        Base(
            "standing-front",
            "standing, seen from the front",
            _front(
                {
                    **_UPRIGHT,
                    "arm": -100,
                    "forearm": -95,
                    "other_arm": -80,
                    "other_forearm": -85,
                    "thigh": -93,
                    "shin": -90,
                    "other_thigh": -87,
                    "other_shin": -90,
                }
            ),
        ),
        Base(
            "seated",
            "sitting on a chair, seen from the side",
            _side(
                {
                    **_UPRIGHT,
                    "arm": -80,
                    "forearm": -10,
                    "other_arm": -82,
                    "other_forearm": -12,
                    "thigh": 0,
                    "shin": -90,
                    "other_thigh": 2,
                    "other_shin": -91,
                }
            ),
            chair=_SIDE_CHAIR,
        ),
        Base(
            "seated-front",
            "sitting on a chair, seen from the front",
            _front(
                {
                    **_UPRIGHT,
                    "arm": -95,
                    "forearm": -60,
                    "other_arm": -85,
                    "other_forearm": -120,
                    "thigh": -90,
                    "shin": -95,
                    "other_thigh": -90,
                    "other_shin": -85,
                },
                # The thighs point at the viewer: seen end on, they look short.
                {"thigh": 0.2, "other_thigh": 0.2, "shoulder": 1.0, "hip": 0.9, "other_hip": 0.9},
            ),
            chair=_FRONT_CHAIR,
        ),
        Base(
            "all-fours",
            "on hands and knees, seen from the side",
            # The head is held out in front of the shoulders, clear of the arm below
            # them, and the far limbs stand a little apart from the near ones, so it
            # reads as a body on hands and knees, not a table.
            make_pose(
                {
                    **_NARROW,
                    "back": 6,
                    "upper_back": 12,
                    "neck": 12,
                    "arm": -86,
                    "forearm": -92,
                    "other_arm": -80,
                    "other_forearm": -88,
                    "thigh": -92,
                    "shin": 182,
                    "other_thigh": -84,
                    "other_shin": 178,
                },
                {"shoulder": 0.0, "other_shoulder": 0.0, "hip": 0.0, "other_hip": 0.0, "neck": 1.45},
            ),
        ),
        Base(
            "plank",
            "a forearm plank, seen from the side",
            _side(
                {
                    "back": 11,
                    "upper_back": 11,
                    "neck": 15,
                    "arm": -90,
                    "forearm": 0,
                    "other_arm": -90,
                    "other_forearm": 0,
                    "thigh": 191,
                    "shin": 191,
                    "other_thigh": 191,
                    "other_shin": 191,
                }
            ),
        ),
        Base(
            "lying-back",
            "lying on the back, knees bent and feet flat, seen from the side",
            _side(
                {
                    "back": 0,
                    "upper_back": 0,
                    "neck": 10,
                    "arm": 180,
                    "forearm": 180,
                    "other_arm": 182,
                    "other_forearm": 182,
                    "thigh": 135,
                    "shin": -135,
                    "other_thigh": 137,
                    "other_shin": -133,
                }
            ),
        ),
        Base(
            "lying-side",
            "lying on one side on the floor, knees bent in front, arms out in front, seen from the head end "
            "(the shoulders one above the other, the front to the right)",
            # Seen along the spine: the back points away (foreshortened to nothing), the
            # lower shoulder rests on the floor, the upper one above it, the head between
            # them on a pillow; the bent legs lie behind the body, hidden by it. The arms
            # reach out in front, the upper hand on the lower: a closed book.
            make_pose(
                {
                    "back": 90,
                    "upper_back": 90,
                    "neck": -90,
                    "shoulder": -90,
                    "other_shoulder": 90,
                    "arm": 14,
                    "forearm": 8,
                    "other_arm": -22,
                    "other_forearm": -22,
                    "hip": -90,
                    "other_hip": 90,
                    "thigh": 0,
                    "shin": 0,
                    "other_thigh": 0,
                    "other_shin": 0,
                },
                {
                    "back": 0.15,
                    "upper_back": 0.15,
                    "neck": 0.4,
                    "shoulder": 1.3,
                    "other_shoulder": 1.3,
                    "hip": 1.0,
                    "other_hip": 1.0,
                    "thigh": 0.0,
                    "shin": 0.0,
                    "other_thigh": 0.0,
                    "other_shin": 0.0,
                },
            ),
        ),
    )
}
BASE_NAMES: tuple[str, ...] = tuple(BASES)

# A routine's own exercise without a figure still shows its position.
PLAIN_BASE = {"standing": "standing-front", "seated": "seated", "floor": "all-fours"}
