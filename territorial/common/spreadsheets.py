"""Reading an uploaded table (CSV in any usual encoding and separator, .xlsx, .ods or .xls)
into rows of cells, within bounds that stop the work early: a file is refused, with a French
message, as soon as it shows more rows, wider cells or (for a workbook, a zip archive) more
uncompressed bytes than allowed, before it is read to the end. Every import reads its files
through here; the workbooks' readers are in ``workbook_readers``.
"""
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from territorial.common import workbook_readers
from territorial.common.errors import DomainError

TABLE_EXTENSIONS = ("csv", "txt", "tsv", "xlsx", "ods", "xls")


@dataclass(frozen=True)
class TableLimits:
    max_rows: int = 5000  # rows after the header line (empty rows are not counted)
    max_columns: int = 100
    max_cell_chars: int = 10_000
    max_file_bytes: int = 8 * 1024 * 1024
    max_uncompressed_bytes: int = 20 * 1024 * 1024  # a workbook's XML, once decompressed
    max_archive_entries: int = 1000
    max_cells: int = 2_000_000  # an .xls sheet's area (rows × columns), declared or used


def read_table_rows(filename: str, content: bytes, limits: TableLimits = TableLimits()
                    ) -> list[list]:
    """The rows of the file (title and header rows included), each a list of cells."""
    if len(content) > limits.max_file_bytes:
        raise DomainError(_("Le fichier dépasse %(n)d Mo.",
                             n=limits.max_file_bytes // (1024 * 1024)))
    if not content.strip():
        raise DomainError(_("Le fichier est vide."))
    extension = filename.lower().rsplit(".", 1)[-1]
    readers = {"xlsx": workbook_readers.xlsx_rows, "ods": workbook_readers.ods_rows,
               "xls": workbook_readers.xls_rows}
    rows = readers.get(extension, _csv_rows)(content, limits)
    return list(_bounded(rows, limits))


def _bounded(rows, limits: TableLimits):
    counted = 0
    for line, cells in enumerate(rows, start=1):
        cells = list(cells[:limits.max_columns])
        for cell in cells:
            if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
                raise DomainError(_("Ligne %(line)d : une cellule dépasse %(n)s caractères.",
                                     line=line, n=f"{limits.max_cell_chars:,}".replace(",", " ")))
        if any(cell not in (None, "") for cell in cells):
            counted += 1
            if counted > limits.max_rows + 1:
                raise DomainError(_("Le fichier dépasse %(n)d lignes.", n=limits.max_rows))
        yield cells


# CSV ------------------------------------------------------------------------------------

SNIFF_LINES = 30
SEPARATORS = (";", ",", "\t")
C1_BYTES = re.compile(rb"[\x80-\x9f]")  # Windows-1252's letters, ISO-8859's controls
LATIN9_LETTERS = re.compile(rb"[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]")  # € Š š Ž ž Œ œ Ÿ


def decode_text(content: bytes) -> str:
    """The text of a file saved by a usual French tool: UTF-8 (with or without the byte-order
    mark Excel writes), UTF-16 (Excel's « texte Unicode »), Windows-1252 (Excel's « CSV
    (séparateur : point-virgule) ») or ISO-8859-15 (told apart by the bytes only one of
    them uses for letters)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            latin9 = not C1_BYTES.search(content) and LATIN9_LETTERS.search(content)
            encoding = "iso-8859-15" if latin9 else "cp1252"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise DomainError(_("Le codage des caractères du fichier n'est pas reconnu : "
                             "enregistrez-le en « CSV UTF-8 » ou en classeur (.xlsx, .ods).")
                          ) from None


def detect_separator(text: str) -> str:
    """The separator that cuts the first lines into the most regular number of columns
    (a title line above the header has fewer: it does not decide)."""
    sample = text[:64 * 1024].splitlines()[:SNIFF_LINES]
    best, best_score = ";", 0
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=separator) if row]
        except csv.Error:
            continue
        counts = Counter(width for width in widths if width > 1)
        if counts:
            width, lines = counts.most_common(1)[0]
            score = lines * 1000 + width
            if score > best_score:
                best, best_score = separator, score
    return best


def _csv_rows(content: bytes, limits: TableLimits):
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell longer than the csv module reads, a stray NUL…
            raise DomainError(_("Ligne %(line)d : une cellule dépasse %(n)s caractères ou "
                                 "ne peut pas être lue.", line=reader.line_num,
                                 n=f"{limits.max_cell_chars:,}".replace(",", " "))) from error
        yield row
