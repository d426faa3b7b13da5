"""Reading an uploaded table (CSV or XLSX) into rows of cells, within bounds that stop the
work early: a file is refused, with a French message, as soon as it shows more rows, wider
cells or (for a workbook, a zip archive) more uncompressed bytes than allowed, before it
is read to the end. Every import reads its files through here.

A workbook's declared sizes are checked before anything is decompressed: ``zipfile`` never
expands an entry beyond its declared size, so a « zip bomb » is refused at once.
"""
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser
from territorial.common.errors import DomainError


@dataclass(frozen=True)
class TableLimits:
    max_rows: int = 5000  # rows after the header line (empty rows are not counted)
    max_columns: int = 100
    max_cell_chars: int = 10_000
    max_file_bytes: int = 8 * 1024 * 1024
    max_uncompressed_bytes: int = 20 * 1024 * 1024  # a workbook's XML, once decompressed
    max_archive_entries: int = 1000


def read_table_rows(filename: str, content: bytes, limits: TableLimits = TableLimits()
                    ) -> list[list]:
    """The rows of the file (the header first), each a list of cells."""
    if len(content) > limits.max_file_bytes:
        raise DomainError(_("Le fichier dépasse %(n)d Mo.",
                             n=limits.max_file_bytes // (1024 * 1024)))
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(content, limits)
    return list(_bounded(_csv_rows(content, limits), limits))


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

SNIFF_SAMPLE = 64 * 1024


def _csv_rows(content: bytes, limits: TableLimits):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(_("Le fichier n'est ni en UTF-8 ni en Windows-1252."))
    first_line = text[:SNIFF_SAMPLE].split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
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


# XLSX -----------------------------------------------------------------------------------

def _xlsx_rows(content: bytes, limits: TableLimits) -> list[list]:
    unreadable = DomainError(_("Le fichier Excel ne peut pas être lu."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise unreadable from error
    parsed = sum(entry.file_size for entry in entries
                 if entry.filename.endswith((".xml", ".rels")))
    if len(entries) > limits.max_archive_entries or parsed > limits.max_uncompressed_bytes:
        raise DomainError(_("Le fichier Excel est trop volumineux une fois décompressé "
                             "(%(n)d Mo au plus).",
                             n=limits.max_uncompressed_bytes // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            return list(_bounded(_first_sheet_rows(content, limits), limits))
    except DomainError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise unreadable from error


def _first_sheet_rows(content: bytes, limits: TableLimits):
    """The values of the first sheet's rows, parsed as they come (openpyxl's reading parts:
    its ``load_workbook`` would first parse every sheet to the end to size it, when the
    file does not give the size)."""
    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheet_path = next(rel.target for _sheet, rel in reader.parser.find_sheets()
                          if "worksheet" in rel.Type)
        with reader.archive.open(sheet_path) as source:
            parser = WorkSheetParser(
                source, reader.shared_strings, data_only=True, epoch=reader.wb.epoch,
                date_formats=reader.wb._date_formats,
                timedelta_formats=reader.wb._timedelta_formats)
            line = 0
            for number, cells in parser.parse():
                values = _row_values(cells, limits.max_columns)
                if not any(value not in (None, "") for value in values):
                    continue  # empty (formatted) rows: neither counted nor kept
                if number > limits.max_rows * 10:
                    raise DomainError(_("Le fichier dépasse %(n)d lignes.", n=limits.max_rows))
                for _gap in range(line + 1, number):
                    yield []
                line = number
                yield values
    finally:
        reader.archive.close()


def _row_values(cells: list[dict], max_columns: int) -> list:
    values: list = []
    for cell in cells:
        column = cell["column"]
        if column <= max_columns:
            values.extend([None] * (column - len(values)))
            values[column - 1] = cell["value"]
    return values
