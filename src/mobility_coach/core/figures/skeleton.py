"""The body a figure is drawn with: bones of fixed length, posed by their angles.

A pose gives each bone an absolute angle in degrees as drawn (0 points right, 90 up, 180
left, -90 down) and a length factor (1 is the bone's own length; less shows a bone
pointing toward or away from the viewer). Joint positions follow from the root, the
pelvis, bone by bone, so a limb keeps its length however the pose is blended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Bone:
    """A bone of the drawn body: the joint it starts from, the joint it places, and its length."""

    name: str
    start: str
    end: str
    length: float


# Parents before children, so one pass places every joint. The "other_" limbs are the far
# ones in a side view and the figure's other side in a front view.
BONES: tuple[Bone, ...] = (
    Bone("back", "pelvis", "chest", 1.65),
    Bone("upper_back", "chest", "neck", 1.65),
    Bone("neck", "neck", "head", 0.95),
    Bone("shoulder", "neck", "shoulder", 0.8),
    Bone("other_shoulder", "neck", "other_shoulder", 0.8),
    Bone("arm", "shoulder", "elbow", 1.3),
    Bone("forearm", "elbow", "hand", 1.2),
    Bone("other_arm", "other_shoulder", "other_elbow", 1.3),
    Bone("other_forearm", "other_elbow", "other_hand", 1.2),
    Bone("hip", "pelvis", "hip", 0.45),
    Bone("other_hip", "pelvis", "other_hip", 0.45),
    Bone("thigh", "hip", "knee", 1.9),
    Bone("shin", "knee", "foot", 1.9),
    Bone("other_thigh", "other_hip", "other_knee", 1.9),
    Bone("other_shin", "other_knee", "other_foot", 1.9),
)
BONE_NAMES: tuple[str, ...] = tuple(bone.name for bone in BONES)
HEAD_RADIUS = 0.5


@dataclass(frozen=True)
class Pose:
    """Every bone's angle (degrees) and length factor, in ``BONE_NAMES`` order."""

    angles: tuple[float, ...]
    lengths: tuple[float, ...]

    def changed(self, angles: dict[str, float], lengths: dict[str, float]) -> Pose:
        """This pose with some bones turned or foreshortened; names not in BONE_NAMES raise."""
        unknown = (set(angles) | set(lengths)) - set(BONE_NAMES)
        if unknown:
            raise KeyError(f"no such bone: {', '.join(sorted(unknown))}")
        return Pose(
            tuple(float(angles.get(name, a)) for name, a in zip(BONE_NAMES, self.angles, strict=True)),
            tuple(float(lengths.get(name, n)) for name, n in zip(BONE_NAMES, self.lengths, strict=True)),
        )


def make_pose(angles: dict[str, float], lengths: dict[str, float] | None = None) -> Pose:
    """A pose from every bone's angle; length factors default to 1."""
    missing = set(BONE_NAMES) - set(angles)
    if missing:
        raise KeyError(f"a pose needs every bone; missing {', '.join(sorted(missing))}")
    full = Pose(tuple(0.0 for _ in BONES), tuple(1.0 for _ in BONES))
    return full.changed(angles, lengths or {})


def _turn(a: float, b: float, t: float) -> float:
    """The angle ``t`` of the way from ``a`` to ``b``, the short way round."""
    delta = (b - a + 180.0) % 360.0 - 180.0
    return a + delta * t


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose ``t`` (0 to 1) of the way from ``a`` to ``b``: each bone turns the short
    way round and its length factor changes in step."""
    t = min(1.0, max(0.0, t))
    return Pose(
        tuple(_turn(x, y, t) for x, y in zip(a.angles, b.angles, strict=True)),
        tuple(x + (y - x) * t for x, y in zip(a.lengths, b.lengths, strict=True)),
    )


def joints(pose: Pose) -> dict[str, Point]:
    """Where each joint is, with the pelvis at (0, 0) and y pointing up."""
    where: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    for bone, angle, factor in zip(BONES, pose.angles, pose.lengths, strict=True):
        x, y = where[bone.start]
        reach = bone.length * factor
        radians = math.radians(angle)
        where[bone.end] = (x + reach * math.cos(radians), y + reach * math.sin(radians))
    return where


def ease(t: float) -> float:
    """Smooth start and stop between two key positions (smoothstep)."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)
