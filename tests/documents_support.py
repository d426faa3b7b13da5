"""Reading documents back in tests: text as a reader sees it (no-break spaces as spaces)."""
NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " "})


def plain(text: str | None) -> str:
    return (text or "").translate(NO_BREAK)


def paragraphs_text(document) -> str:
    """Every paragraph of a python-docx document, no-break spaces read as spaces."""
    return plain("\n".join(p.text for p in document.paragraphs))


def rows_text(table) -> list[list[str]]:
    return [[plain(cell.text) for cell in row.cells] for row in table.rows]
