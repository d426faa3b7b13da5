"""The names of a document: its file name and the short title of its footer.

``file_stem("Bilan", "Bilan des trois premiers mois")`` is
``bilan-des-trois-premiers-mois``: the kind is not repeated when the title already says
it, a part already said is left out, and a long name is cut between two words.
"""
from __future__ import annotations

import re

from territorial.common.text import slugify
from territorial.documents import house

FILE_STEM_LENGTH = 100


def _slug(text: str) -> str:
    return slugify(text, 10_000) if re.search(r"\w", text or "") else ""


def file_stem(*parts: str, limit: int = FILE_STEM_LENGTH) -> str:
    """The parts of a name, as a file name without its extension."""
    stem = ""
    for part in parts:
        slug = _slug(str(part or ""))
        if not slug or f"-{slug}-" in f"-{stem}-":
            continue  # already said
        if f"{slug}-".startswith(f"{stem}-"):
            stem = slug  # « bilan » then « bilan-des-trois-premiers-mois »
        else:
            stem = f"{stem}-{slug}" if stem else slug
    return slugify(stem, limit) if stem else "document"


def shortened(text: str, width: float, size: float) -> str:
    """``text`` cut between two words (with « … ») to fit ``width`` cm at ``size`` points."""
    if house.text_width(text, size) <= width:
        return text
    words = text.split()
    while len(words) > 1 and house.text_width(" ".join(words) + " …", size) > width:
        words.pop()
    return " ".join(words).rstrip(" ,;:–—-") + " …"
