"""Text typed by people, laid out as they typed it: paragraphs and lists.

Each line is a paragraph (a line typed in a form's text box is a paragraph, as a line
typed in a word processor is); lines starting with « - », « • », « – » or « * » make a
bulleted list, « 1. » or « 1) » a numbered one, and a line indented under an item is a
sub-item. Nothing typed is lost or merged into the line before it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^[-•–*]\s+")
NUMBER = re.compile(r"^\d{1,2}[.)]\s+")


@dataclass
class Item:
    text: str
    children: list[str] = field(default_factory=list)


@dataclass
class Listing:
    items: list[Item]
    numbered: bool = False


def blocks(text: str | None) -> list[str | Listing]:
    """The paragraphs (strings) and lists of ``text``, in order."""
    result: list[str | Listing] = []
    listing: Listing | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped:
            continue
        indented = raw[:1] in (" ", "\t")
        marker = BULLET.match(stripped) or NUMBER.match(stripped)
        if listing is not None and indented:
            content = stripped[marker.end():].strip() if marker else stripped
            listing.items[-1].children.append(content)
            continue
        if marker:
            numbered = bool(NUMBER.match(stripped))
            if listing is None or listing.numbered != numbered:
                listing = Listing([], numbered)
                result.append(listing)
            listing.items.append(Item(stripped[marker.end():].strip()))
            continue
        listing = None
        result.append(stripped)
    return result
