"""A small declarative schema: validates located YAML nodes and emits JSON Schema.

One description of the format serves the loader and ``mobility-coach schema``, so what
editors check and what the app enforces cannot drift apart.

Why not pydantic or jsonschema: errors must name the line and column of the exact key or
value, suggest the closest valid key, and say what was expected in a person's words; those
libraries report paths into already-built Python objects, whose positions are lost, and
pydantic alone would add a heavy import to every command. The format is small enough that
the kinds below (~250 lines) cover it.

Each kind's ``check`` returns the converted value, or ``INVALID`` after reporting the
problems to the context; it never raises for bad input.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobility_coach.core.durations import (
    DURATION_HINT,
    DURATION_PATTERN,
    MAX_DURATION_CHARS,
    duration_problem,
    format_duration,
    parse_duration,
)
from mobility_coach.core.errors import Problem
from mobility_coach.core.terminal_text import first_control
from mobility_coach.core.yamlnodes import NULL_TAG, STR_TAG, Node, shortened

INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()

MAX_PROBLEMS_PER_FILE = 50
# Aliases can make a small file expand exponentially; no real routine file comes near this.
MAX_NODE_VISITS = 200_000

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# A terminal acts on such a character (retitles itself, writes the clipboard, clears the
# screen) or reorders the text around it, so no name, cue or setting may hold one.
CONTROL_HINT = "a terminal would act on it instead of showing it; take it out"
_TEXT_TAGS = {STR_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG, "tag:yaml.org,2002:timestamp"}


class _OverBudget(Exception):
    pass


@dataclass
class Context:
    """Where problems go while one file is validated, and what the checks may look up."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0
    visits: int = 0
    over_budget_reported: bool = False
    lookups: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def report(self, node: Node, where: str, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS_PER_FILE:
            self.dropped += 1
            return
        text = f"{where}: {message}" if where else message
        self.problems.append(Problem(self.path, node.line, node.column, text))

    def visit(self) -> None:
        self.visits += 1
        if self.visits > MAX_NODE_VISITS:
            raise _OverBudget

    def finish(self) -> list[Problem]:
        """All problems, with a closing line for those left out."""
        if self.dropped:
            last = self.problems[-1]
            self.problems.append(Problem(self.path, last.line, last.column, f"... and {self.dropped} more problems"))
            self.dropped = 0
        return self.problems


def guarded(ctx: Context, root: Node, where: str, run: Callable[[], Any]) -> Any:
    """Run a validation, turning an alias blow-up into one located problem (the first
    entry that crosses the budget reports it; the rest of the file is not walked)."""
    try:
        return run()
    except _OverBudget:
        if not ctx.over_budget_reported:
            ctx.report(root, where, f"aliases expand to more than {MAX_NODE_VISITS:,} nodes; write it out plainly")
            ctx.over_budget_reported = True
        return INVALID


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'hold'?)`` for a near miss, else an empty string."""
    import difflib  # here: only a mistake needs it, and the resting reminder imports this module

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def join(where: str, key: str) -> str:
    """The dotted path of ``key`` under ``where``, as problems name it (keys shortened)."""
    key = shortened(key)
    return f"{where}.{key}" if where else key


class Kind:
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe_default(self, value: Any) -> Any:
        return value


def _scalar(node: Node, ctx: Context, where: str, expected: str) -> str | None:
    """The scalar's text, or None (reported) when the node is not a usable scalar."""
    ctx.visit()
    if node.kind != "scalar" or node.tag == NULL_TAG:
        ctx.report(node, where, f"expected {expected}, found {node.describe()}")
        return None
    if node.tag not in _TEXT_TAGS:
        ctx.report(node, where, f"the tag {node.tag} is not supported here; expected {expected}")
        return None
    return node.text


@dataclass
class Text(Kind):
    """Non-empty text (stripped), at most ``max_length`` characters, matching ``pattern`` when one is given."""

    description: str = ""
    pattern: str | None = None
    pattern_hint: str = ""
    max_length: int = 2000
    _regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once: re.fullmatch with a pattern string looks it up in re's cache each call.
        self._regex = re.compile(self.pattern) if self.pattern else None

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = _scalar(node, ctx, where, "text")
        if text is None:
            return INVALID
        text = text.strip()
        if not text:
            ctx.report(node, where, "must not be empty")
            return INVALID
        if len(text) > self.max_length:
            ctx.report(node, where, f"is longer than {self.max_length} characters")
            return INVALID
        control = first_control(text)
        if control is not None:
            ctx.report(node, where, f"holds the control character {control}; {CONTROL_HINT}")
            return INVALID
        if self._regex is not None and not self._regex.fullmatch(text):
            ctx.report(node, where, f"{text!r} is not {self.pattern_hint}")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            schema["pattern"] = f"^{self.pattern}$"
        return schema


@dataclass
class Integer(Kind):
    """A whole number from ``minimum`` to ``maximum``; a quoted one is text, not a number."""

    minimum: int = 1
    maximum: int = 1000
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = _scalar(node, ctx, where, "a whole number")
        if text is None:
            return INVALID
        if node.quoted or node.tag != _INT_TAG:
            ctx.report(node, where, f"expected a whole number, found {node.describe()}")
            return INVALID
        try:
            value = int(text.replace("_", ""), 0)
        except ValueError:
            ctx.report(node, where, f"expected a whole number, found {node.describe()}")
            return INVALID
        if not self.minimum <= value <= self.maximum:
            ctx.report(node, where, f"must be from {self.minimum} to {self.maximum}, not {value}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass
class Boolean(Kind):
    """True or false, unquoted (YAML's own booleans; a quoted "true" is text)."""

    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = _scalar(node, ctx, where, "true or false")
        if text is None:
            return INVALID
        if node.quoted or node.tag != _BOOL_TAG:
            ctx.report(node, where, f"expected true or false, found {node.describe()}")
            return INVALID
        return text.lower() in ("true", "yes", "on", "y")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


def _yaml_number(text: str) -> float | None:
    """A YAML int or float scalar's finite value (the text is short: durations are
    length-checked first)."""
    plain = text.replace("_", "")
    try:
        value = float(int(plain, 0))
    except ValueError:
        try:
            value = float(plain)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


@dataclass
class Duration(Kind):
    """Seconds, written as ``30s``, ``1m30s``, ``2m`` or a bare number."""

    minimum: float = 1.0
    maximum: float = 3600.0
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = _scalar(node, ctx, where, DURATION_HINT)
        if text is None:
            return INVALID
        if len(text) > MAX_DURATION_CHARS:
            ctx.report(node, where, duration_problem(text))
            return INVALID
        seconds = None if node.tag == _BOOL_TAG else parse_duration(text)
        if seconds is None and not node.quoted and node.tag in (_INT_TAG, _FLOAT_TAG):
            seconds = _yaml_number(text)  # 1.5e1, 0x1e, 1_000: any number JSON Schema calls one
        if seconds is None:
            ctx.report(node, where, f"expected {DURATION_HINT}, found {node.describe()}")
            return INVALID
        if seconds < self.minimum:
            ctx.report(node, where, f"must be at least {format_duration(self.minimum)}, not {text.strip()}")
            return INVALID
        if seconds > self.maximum:
            ctx.report(node, where, f"must be at most {format_duration(self.maximum)}, not {text.strip()}")
            return INVALID
        return seconds

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "number", "minimum": self.minimum, "maximum": self.maximum},
                {
                    "type": "string",
                    "pattern": DURATION_PATTERN,
                    "maxLength": MAX_DURATION_CHARS,
                    "examples": ["30s", "1m30s", "2m"],
                },
            ]
        }

    def describe_default(self, value: Any) -> Any:
        return format_duration(value)


@dataclass
class Choice(Kind):
    """One of a fixed set of words (``values``), with a did-you-mean for a near miss."""

    values: tuple[str, ...] = ()
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = _scalar(node, ctx, where, "one of " + ", ".join(self.values))
        if text is None:
            return INVALID
        if text not in self.values:
            hint = suggest(text, list(self.values)) or "; expected one of " + ", ".join(self.values)
            ctx.report(node, where, f"{text!r} is not allowed{hint}")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


@dataclass
class ListOf(Kind):
    """A list of ``item`` values, from ``min_items`` to ``max_items`` of them; one bad item makes the list invalid."""

    item: Kind
    min_items: int = 0
    max_items: int = 200
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        ctx.visit()
        if node.kind != "seq":
            ctx.report(node, where, f"expected a list, found {node.describe()}")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.report(node, where, f"needs at least {self.min_items} item{'s' * (self.min_items > 1)}")
            return INVALID
        if len(node.items) > self.max_items:
            ctx.report(node, where, f"has {len(node.items)} items; at most {self.max_items} are allowed")
            return INVALID
        check = self.item.check
        values = [check(item, ctx, f"{where}[{i}]") for i, item in enumerate(node.items)]
        return INVALID if INVALID in values else tuple(values)

    def describe_default(self, value: Any) -> Any:
        return list(value)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": schema_of(self.item), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


ID_PATTERN = r"[a-z0-9][a-z0-9_-]*"
ID_HINT = "an id: lower-case letters, digits, '-' and '_', starting with a letter or digit"
_ID_REGEX = re.compile(ID_PATTERN)


@dataclass
class MapOf(Kind):
    """A mapping of ids to values. Each entry is checked on its own and bad ones are
    left out, so one broken entry never costs the others. ``check`` gives each good
    id's (key node, value), so later checks can point at the id."""

    value: Kind
    max_items: int = 500
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        ctx.visit()
        if node.kind != "map":
            ctx.report(node, where, f"expected a mapping of ids to entries, found {node.describe()}")
            return INVALID
        items = node.items
        if len(items) > self.max_items:
            # The first entries still load: going past a bound costs only what is past it.
            extra = len(items) - self.max_items
            ctx.report(
                items[self.max_items][0],
                where,
                f"at most {self.max_items} entries are read; this one and the {extra - 1:,} after it are left out"
                if extra > 1
                else f"at most {self.max_items} entries are read; this last one is left out",
            )
            items = items[: self.max_items]
        result: dict[str, tuple[Node, Any]] = {}
        for key_node, value_node in items:
            key = key_node.text.strip() if key_node.kind == "scalar" else ""
            if key_node.kind != "scalar" or key_node.tag == NULL_TAG or not _ID_REGEX.fullmatch(key):
                ctx.report(key_node, where, f"{key_node.describe()} is not {ID_HINT}")
                continue
            if key in result:
                first = result[key][0]
                ctx.report(key_node, join(where, key), f"duplicate id; first defined at line {first.line}")
                continue
            at = join(where, key)
            value = guarded(ctx, value_node, at, functools.partial(self.value.check, value_node, ctx, at))
            result[key] = (key_node, value)
        return {k: (key_node, v) for k, (key_node, v) in result.items() if v is not INVALID}

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": f"^{ID_PATTERN}$"},
            "additionalProperties": schema_of(self.value),
        }


@dataclass
class Field:
    """One key of a Record: its kind, whether it is required, its default, and the description the schema gives."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: Any = None


# A record-level rule: given the checked values and the key nodes, report problems.
Rule = Callable[[dict[str, Any], dict[str, Node], Context, str], bool]


@dataclass
class Record(Kind):
    """A mapping with a fixed set of keys. Unknown keys are errors, with a suggestion."""

    title: str
    fields: list[Field]
    description: str = ""
    rules: list[Rule] = field(default_factory=list)
    extra_schema: dict[str, Any] = field(default_factory=dict)
    _names: list[str] = field(init=False, repr=False, compare=False)
    _known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every key of every file: worked out once, not on each check.
        self._names = [f.name for f in self.fields]
        self._known = frozenset(self._names)
        assert all(shortened(name) == name for name in self._names), "a field name too long to show whole"

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        before = len(ctx.problems) + ctx.dropped
        nodes = self.split(node, ctx, where)
        if nodes is None:
            return INVALID
        # An unknown key is usually a misspelt known one; rules about what is missing
        # would only repeat that problem, so they wait until the keys are right.
        keys_ok = len(ctx.problems) + ctx.dropped == before
        values: dict[str, Any] = {}
        ok = True
        for f in self.fields:
            name = f.name
            pair = nodes.get(name)
            if pair is not None:
                # join(where, name), inline: this runs for every key of every file, and a
                # field's name never needs shortening (see __post_init__).
                value = values[name] = f.kind.check(pair[1], ctx, f"{where}.{name}" if where else name)
                ok = ok and value is not INVALID
            elif f.required:
                ctx.report(node, where, f"{self.title} is missing '{name}' ({f.description.rstrip('.')})")
                ok = False
            else:
                values[name] = f.default
        if not (ok and keys_ok):
            return INVALID
        keys = {name: pair[0] for name, pair in nodes.items()}
        for rule in self.rules:
            ok = rule(values, keys, ctx, where) and ok
        return values if ok else INVALID

    def split(self, node: Node, ctx: Context, where: str) -> dict[str, tuple[Node, Node]] | None:
        """The known keys' (key node, value node), after reporting unknown and repeated keys."""
        ctx.visit()
        if node.kind != "map":
            ctx.report(
                node,
                where,
                f"expected {self.title} (a mapping with keys such as "
                f"{', '.join(f.name for f in self.fields[:4])}), found {node.describe()}",
            )
            return None
        names = self._names
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.items:
            key = key_node.text if key_node.kind == "scalar" else ""
            if key not in self._known:
                hint = suggest(key, names) or f"; expected one of {', '.join(names)}"
                ctx.report(key_node, where, f"unknown key {key_node.describe()} in {self.title}{hint}")
            elif key in found:
                ctx.report(key_node, join(where, key), f"repeated key; first given at line {found[key][0].line}")
            else:
                found[key] = (key_node, value_node)
        return found

    def json_schema(self) -> dict[str, Any]:
        properties = {}
        for f in self.fields:
            prop = schema_of(f.kind)
            prop["description"] = f.description
            if f.default is not None:
                prop["default"] = f.kind.describe_default(f.default)
            properties[f.name] = prop
        schema: dict[str, Any] = {
            "type": "object",
            "title": self.title,
            "properties": properties,
            "additionalProperties": False,
        }
        if self.description:
            schema["description"] = self.description
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        schema.update(self.extra_schema)
        return schema


@dataclass
class Either(Kind):
    """A value that may take one of several shapes, chosen by the node's kind."""

    by_kind: dict[str, Kind]
    expected: str
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        kind = self.by_kind.get(node.kind)
        if kind is None:
            ctx.report(node, where, f"expected {self.expected}, found {node.describe()}")
            return INVALID
        return kind.check(node, ctx, where)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [schema_of(k) for k in self.by_kind.values()]}


@dataclass
class Salvaged(Kind):
    """A part whose mistakes are reported but cost only itself: a bad value becomes
    None, so the record around it still loads (an exercise with a broken figure is
    still an exercise)."""

    kind: Kind
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        value = self.kind.check(node, ctx, where)
        return None if value is INVALID else value

    def json_schema(self) -> dict[str, Any]:
        return schema_of(self.kind)


@dataclass
class Lookup(Kind):
    """An id that must name an entry of ``ctx.lookups[table]``; gives that entry."""

    table: str
    noun: str
    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        key = _ID_TEXT.check(node, ctx, where)
        if key is INVALID:
            return INVALID
        entries = ctx.lookups.get(self.table, {})
        if key not in entries:
            ctx.report(node, where, f"unknown {self.noun} {key!r}{suggest(key, sorted(entries))}")
            return INVALID
        return entries[key]

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID_PATTERN}$"}


_ID_TEXT = Text(pattern=ID_PATTERN, pattern_hint=ID_HINT)


def schema_of(kind: Kind) -> dict[str, Any]:
    schema = kind.json_schema()
    if kind.description and "description" not in schema:
        schema["description"] = kind.description
    return schema
