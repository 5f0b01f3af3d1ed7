"""What a label's name, colour, hotkey and description and an annotator's name may be: one set of
rules for schemas, CLI, UI, import, merge and server clients.

Names are compared and stored in `normal_name` form (NFC, no whitespace at the ends); a label
name given by a user or a file matches the project's label that differs from it only in case
(`spelling_in`). A name must start with a letter or digit, and a new name may not look like an
existing different one (`lookalike_problem`, see `core.lookalike` for what counts as alike).

Each rule returns a reason that stands on its own ("label name 'X' contains ..."), so callers can
show it as is or put their own context (a file line, a label number) in front of it.

Colours come from the Okabe–Ito palette (Okabe & Ito 2008), chosen because its hues stay apart
under protanopia, deuteranopia and tritanopia, and its mid-range lightness works both as a light
translucent highlight behind black text and as a tint on a dark theme. Okabe–Ito black is left
out: it would hide black text and vanish on dark themes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar, overload

from annotator.core.lookalike import LookalikeIndex, odd_letters

MAX_NAME_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 20_000
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_HOTKEY = re.compile(r"[1-9a-z]")
RELATE_KEY = "r"
"""The key that starts a relation (Edit → Relate Span to…): no label or relation type takes it."""
# Characters a name may not contain, by Unicode category, as messages call them.
_FORBIDDEN = {
    "Cc": "a control character",
    "Cf": "a format character",  # invisible: ZWJ, BOM, soft hyphen, bidi controls
    "Cs": "a lone surrogate",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


T = TypeVar("T")
# The space separators (Unicode Zs) trimmed from names; control characters are refused instead.
_SPACES = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


@overload
def normal_name(name: str) -> str: ...
@overload
def normal_name(name: T) -> T: ...
def normal_name(name: object) -> object:
    """A name as stored and compared: NFC, without spaces at its ends (non-strings as is)."""
    if not isinstance(name, str):
        return name
    return unicodedata.normalize("NFC", name).strip(_SPACES)


def spelling_in(name: str, names: Iterable[str]) -> str | None:
    """How `names` (a project's labels) spell the label `name`: itself when present, else the one
    equal to it apart from case (`actor` is `ACTOR`), else None. Label names are matched without
    regard to case everywhere; the project's spelling is the one stored."""
    known = list(names)
    if name in known:
        return name
    folded = name.casefold()
    return next((other for other in known if other.casefold() == folded), None)


def _form_problem(what: str, name: str) -> str | None:
    """Why a name not in `normal_name` form, or not starting with a letter or digit, is refused."""
    if unicodedata.normalize("NFC", name) != name:
        return f"{what} {name!r} is not in Unicode normal form NFC"
    if unicodedata.category(name[0])[0] not in "LN":
        return f"{what} {name!r} must start with a letter or digit"
    return None


def name_problem(name: object, what: str = "label") -> str | None:
    """Why `name` cannot name a `what` (a label, a relation type), or None when it can."""
    if not isinstance(name, str):
        return f"{what} name must be a string, not {type(name).__name__}"
    if not name:
        return f"{what} name is empty"
    for char in name:
        kind = _FORBIDDEN.get(unicodedata.category(char))
        if kind is not None:
            return f"{what} name {name!r} contains {kind} (U+{ord(char):04X})"
    if not name.strip():
        return f"{what} name {name!r} is only whitespace"
    if name != name.strip():  # only space separators (Zs) are left to strip
        return f"{what} name {name!r} has whitespace at its start or end"
    if problem := _form_problem(f"{what} name", name):
        return problem
    if len(name) > MAX_NAME_LENGTH:
        return (
            f"{what} name {name[:20]!r}… is longer than {MAX_NAME_LENGTH} characters ({len(name)})"
        )
    return None


def normalize_color(color: object) -> str | None:
    """Upper-case `#RRGGBB` for '#rgb' or '#rrggbb' (either case), else None."""
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        return None
    digits = color[1:].upper()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits


def next_color(used: Iterable[str]) -> str:
    """The first palette colour not yet used (case-insensitive); cycles once all are taken."""
    taken = [c.upper() for c in used]
    for color in PALETTE:
        if color not in taken:
            return color
    return PALETTE[len(taken) % len(PALETTE)]


def hotkey_problem(hotkey: object) -> str | None:
    """Why `hotkey` cannot be a label's key (one character 1-9 or a-z, not the Relate key r),
    or None when it can.

    None means "no hotkey" and is allowed.
    """
    if hotkey is None:
        return None
    if isinstance(hotkey, str) and hotkey.lower() == RELATE_KEY:
        return f"hotkey {hotkey!r} is the Relate key (R starts a relation); choose another key"
    if not isinstance(hotkey, str) or not _HOTKEY.fullmatch(hotkey):
        return f"hotkey {hotkey!r} is not a single character 1-9 or a-z"
    return None


MAX_ANNOTATOR_NAME = 128


def annotator_problem(name: object) -> str | None:
    """Why `name` cannot name an annotator (the layer every span is recorded under), or None."""
    if not isinstance(name, str) or not name.strip():
        return "an annotator needs a name: it is recorded with every span"
    if len(name) > MAX_ANNOTATOR_NAME:
        return f"annotator name is too long ({len(name)} characters; at most {MAX_ANNOTATOR_NAME})"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in name):
        return f"annotator name {name!r} contains invisible or control characters"
    if name != name.strip():
        return f"annotator name {name!r} has whitespace at its start or end"
    return _form_problem("annotator name", name)


def lookalike_problem(what: str, name: str, existing: LookalikeIndex | Iterable[str]) -> str | None:
    """Why a new `what` ('label', 'annotator') named `name` would pass for an existing one.

    Callers that check many names keep a LookalikeIndex (adding each name they store).
    """
    index = existing if isinstance(existing, LookalikeIndex) else LookalikeIndex(existing)
    other = index.lookalike_of(name)
    if other is None:
        return None
    odd = odd_letters(name, other)
    return (
        f"{what} name {name!r} looks like the existing {what} {other!r}"
        + (f" ({odd})" if odd else "")
        + "; choose a name that differs in more than case or look-alike letters"
    )


def description_problem(description: object) -> str | None:
    """Why `description` cannot be a label's guidelines (plain or Markdown text), or None."""
    if not isinstance(description, str):
        return f"description must be a string, not {type(description).__name__}"
    if len(description) > MAX_DESCRIPTION_LENGTH:
        return (
            f"description is longer than {MAX_DESCRIPTION_LENGTH:,} characters "
            f"({len(description):,})"
        )
    for char in description:
        if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs"):
            return f"description contains a control character (U+{ord(char):04X})"
    return None
