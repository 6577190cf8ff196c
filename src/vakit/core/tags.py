"""Tags on time entries: how they are typed, stored and compared.

Stored shape: the tags in the order first given, joined by ``", "`` (``"calls, email"``), the shape Toggl and
Clockify exports use, so an export reads back unchanged. A tag is non-empty text without a comma or a control
character, at most :data:`MAX_TAG` characters; ``Calls`` and ``calls`` are one tag (the first spelling is kept).
"""

from __future__ import annotations

from vakit.core.errors import InvalidValue
from vakit.core.text import clean_text

MAX_TAG = 40
MAX_TAGS = 20


def split_tags(stored: str | None) -> tuple[str, ...]:
    """The stored (or exported) text → tags, duplicates in another case dropped: ``"a, b,A"`` → ``("a", "b")``."""
    if not stored:
        return ()
    out: list[str] = []
    seen: set[str] = set()
    for part in (stored or "").split(","):
        tag = part.strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def join_tags(tags: tuple[str, ...] | list[str]) -> str:
    """Tags → the stored text (``"calls, email"``); duplicates in another case dropped."""
    return ", ".join(split_tags(",".join(tags)))


def check_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Typed tags (``--tag calls``, ``+calls``; a leading ``+`` is dropped) checked: no comma, no control
    character, 1–:data:`MAX_TAG` characters, at most :data:`MAX_TAGS` of them. Raises InvalidValue."""
    out: list[str] = []
    for raw in tags:
        tag = clean_text(raw, "tags", label="tag").removeprefix("+").strip()
        if not tag:
            raise InvalidValue("a tag must not be empty")
        if "," in tag:
            raise InvalidValue(f"tag '{tag}' contains a comma", "give each tag separately: --tag calls --tag email")
        if len(tag) > MAX_TAG:
            raise InvalidValue(f"tag '{tag[:MAX_TAG]}…' is longer than {MAX_TAG} characters")
        out.append(tag)
    shaped = split_tags(",".join(out))
    if len(shaped) > MAX_TAGS:
        raise InvalidValue(f"{len(shaped)} tags on one entry; at most {MAX_TAGS}")
    return shaped


def has_tag(stored: str, tag: str) -> bool:
    """Whether the stored tags include ``tag`` (any case)."""
    return tag.casefold() in {t.casefold() for t in split_tags(stored)}
