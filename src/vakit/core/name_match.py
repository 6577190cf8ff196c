"""Close matches for a mistyped name (``kiwii`` → ``Kiwi Design Co.``), for the "did you mean" of a refusal.

Names and the typed text are compared *folded*: NFKD, accents and other combining marks dropped, Unicode case
folding (:func:`fold`), so ``muller``, ``MULLER`` and ``Müller`` are the same text here and ``strasse`` is
``Straße``. Folding is for suggestions only: finding a client still takes its name in any case, never without
its accents (``muller`` is refused, suggesting ``Müller & Söhne GmbH``).

A candidate matches the folded typed text ``q`` (:func:`suggest`), best first:

1. its name starts with ``q``;
2. a word of its name starts with ``q`` (words: runs of letters and digits; ``q`` of 2 characters or more);
3. its Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two neighbours,
   each 1) to ``q`` is at most ``max(1, len(q) // 3)`` against the whole name, against one of its words or
   against the name's first ``len(q)`` characters (``q`` of 3 characters or more: a letter or two is close to
   too much).

Ties go to the smaller distance, then to candidates not marked as second choice (archived clients), then by
name. At most ``limit`` (3) are returned.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``"Müller & Söhne"`` → ``"muller & sohne"``: compatibility-decomposed, combining marks dropped, case
    folded, stripped."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare.casefold()).strip()


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment) between two strings: the fewest insertions,
    deletions, substitutions and swaps of two neighbouring characters that turn ``a`` into ``b``
    (``distance("kiwii", "kiwi")`` = 1, ``distance("nrothwind", "northwind")`` = 1)."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    before: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], before[j - 2] + 1)
        before, prev = prev, cur
    return prev[-1]


def _rank(q: str, name: str) -> tuple[int, int] | None:
    """``(class, distance)`` of a folded name for the folded typed text ``q`` (lower is better), None if it is
    not close: class 0 a prefix of the name, 1 a prefix of one of its words, 2 within the distance bound."""
    if name.startswith(q):
        return 0, 0
    words = _WORD.findall(name)
    if len(q) >= 2 and any(w.startswith(q) for w in words):
        return 1, 0
    if len(q) < 3:
        return None
    best = min(distance(q, x) for x in (name, name[:len(q)], *words))
    return (2, best) if best <= max(1, len(q) // 3) else None


def suggest(typed: str, names: list[str], *, limit: int = 3, second: set[str] | frozenset[str] = frozenset()
            ) -> list[str]:
    """The names closest to ``typed``, best first, at most ``limit``; names in ``second`` (archived clients) lose
    ties. An empty typed text matches nothing. Order and rules: see the module docstring."""
    q = fold(typed)
    if not q:
        return []
    scored = []
    for name in names:
        folded = fold(name)
        rank = _rank(q, folded)
        if rank is not None:
            scored.append((*rank, name in second, folded, name))
    scored.sort()
    return [key[-1] for key in scored[:limit]]
