"""French order, the same on SQLite and PostgreSQL: accents and case ignored at first
(« Bâtir, Boulangerie, École, Épicerie, Zèbre »), numbers in numeric order (« 2, 16, 106 »).

PostgreSQL compares with the ICU collation ``fr_natural`` (``fr-u-kn-true``) that migration
0016 creates; SQLite with the Python function of the same name, registered on each of its
connections (``territorial.database``). Lists order by ``french(column)``; Python sorts use ``french_key``.
"""
import re
import unicodedata
from functools import lru_cache
from itertools import groupby

FRENCH = "fr_natural"
NUMBER = re.compile(r"(\d+)")


def french(column):
    """``column`` compared in French order, for ``order_by``."""
    return column.collate(FRENCH)


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)) \
        .replace("œ", "oe").replace("æ", "ae")


def french_key(text) -> tuple:
    """A key that sorts like the collation: first the letters without accents or case, the
    numbers by their value; then accents; then case."""
    text = str(text or "")
    parts = NUMBER.split(_letters(text))
    first = tuple((0, int(part), "") if index % 2 else (1, 0, part.strip())
                  for index, part in enumerate(parts) if part)
    return first, unicodedata.normalize("NFKD", text.casefold()), text.swapcase()


def compare(a: str | None, b: str | None) -> int:
    """SQLite's collation function. A sort compares each value about log₂(n) times: its
    key is computed once and kept (for the most recent values)."""
    key_a, key_b = _known_key(a or ""), _known_key(b or "")
    return (key_a > key_b) - (key_a < key_b)


def search_text(text) -> str:
    """``text`` as searched: letters without accents or case, digits, one space between
    words (« L'École n°2 » → « l ecole n 2 »); a query's words are found in it with LIKE."""
    letters = _letters(str(text or ""))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def sort_text(text) -> str:
    """A key whose plain (binary) order is French order at first level: ``search_text``
    with each number zero-padded (« 2 », « 16 », « 106 »), so that an index gives the
    order without the collation."""
    return NUMBER.sub(lambda number: number.group().zfill(12), search_text(text))


def ties_in_french_order(rows, sort_key, text) -> list:
    """``rows`` in the order of their ``sort_text`` key (``sort_key(row)``, e.g. read from an
    index) with the rows that share a key put in French order of ``text(row)`` (a stable
    sort): the order of ``ORDER BY sort_name, name COLLATE fr_natural`` without calling the
    collation on every row."""
    ordered = []
    for _key, tied in groupby(rows, key=sort_key):
        tied = list(tied)
        ordered += sorted(tied, key=lambda row: _known_key(text(row))) if len(tied) > 1 else tied
    return ordered


@lru_cache(maxsize=20_000)
def _known_key(text: str) -> tuple:
    return french_key(text)
