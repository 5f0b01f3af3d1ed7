"""When two names look the same: a small skeleton in the spirit of Unicode TR39.

`skeleton(name)` is NFKC, then the Cyrillic and Greek capitals drawn like Latin ones replaced by
those, then casefold, then the small letters (and the digits 0 and 1) drawn like Latin ones
replaced by those. Two names with the same skeleton can pass for each other on
screen: `ACTОR` (Cyrillic О) and `ACTOR`, `ΑСТОR` (Greek Α, Cyrillic С) and `actor`, `ＡＣＴＯＲ`
(full width) and `Actor`, `ACT0R` and `ACTOR`.

Limits: the table covers the Cyrillic and Greek letters drawn like Latin ones and the digits 0
and 1, not the whole TR39 confusables list (other scripts, symbols, and sequences such as `rn`
for `m` are not matched). Accents are kept: `é` and `e` are different names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Capitals drawn like Latin capitals (mapped before casefolding: Greek Ν is N, its small ν is v).
_CAPITALS = str.maketrans(
    dict(zip("АВЕНІЈКМОРСТХЅԚԜӀ", "ABEHIJKMOPCTXSQWI", strict=True))  # Cyrillic
    | dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True))  # Greek
)
# Small letters drawn like Latin small letters (after casefolding), and the digits 0 and 1.
_SMALL = str.maketrans(
    dict(zip("аеорсухіјѕԁԛԝһӏ", "aeopcyxijsdqwhl", strict=True))  # Cyrillic
    | dict(zip("οαινυκρχ", "oaivukpx", strict=True))  # Greek
    | dict(zip("ɡı01", "giol", strict=True))  # Latin, digits
)


def skeleton(name: str) -> str:
    """The form two look-alike names share (see the module docstring for what is covered)."""
    compatible = unicodedata.normalize("NFKC", name)
    return compatible.translate(_CAPITALS).casefold().translate(_SMALL)


class LookalikeIndex:
    """Names by skeleton: which one a new name looks like, in constant time per name."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._by_skeleton: dict[str, str] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        """Index one more name (the first of several look-alikes is the one reported)."""
        self._by_skeleton.setdefault(skeleton(name), name)

    def lookalike_of(self, name: str) -> str | None:
        """The indexed name that differs from `name` but looks like it, or None."""
        other = self._by_skeleton.get(skeleton(name))
        return None if other == name else other


def odd_letters(name: str, like: str) -> str:
    """The characters of `name` that `like` does not have, as 'U+041E CYRILLIC CAPITAL LETTER O'."""
    odd = dict.fromkeys(ch for ch in name if ch not in like)
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in odd)
