"""Reading the first sheet of a workbook (.xlsx, .ods, .xls) into rows of cells, within the
bounds of ``TableLimits`` (see ``spreadsheets``).

.xlsx and .ods files are zip archives: their declared sizes are checked before anything is
decompressed (``zipfile`` never expands an entry beyond its declared size), then the sheet
is parsed as it streams, row by row, so that a « bomb » (a few kilobytes that expand to
millions of rows, or an .ods row « repeated » a million times) stops at the limit. An .xls
file is not compressed, but python-calamine lays each sheet out as a full grid of cells at
once: the sheets' sizes (declared in their DIMENSIONS records, and used by their cells) are
measured first (``xls_extent``, by reading the records with olefile), and a sheet wider or
longer than allowed is refused before calamine allocates anything.
"""
import io
import struct
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile

from flask_babel import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser

from territorial.common.errors import DomainError


def too_many_rows(limits) -> DomainError:
    return DomainError(_("Le fichier dépasse %(n)d lignes.", n=limits.max_rows))


def _unreadable() -> DomainError:
    return DomainError(_("Le classeur ne peut pas être lu : enregistrez-le de nouveau depuis "
                         "votre tableur (.xlsx, .ods ou .csv)."))


def _open_archive(content: bytes, limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _unreadable() from error
    parsed = sum(entry.file_size for entry in entries)  # whatever a reader may open
    if len(entries) > limits.max_archive_entries or parsed > limits.max_uncompressed_bytes:
        raise DomainError(_("Le fichier est trop volumineux une fois décompressé "
                             "(%(n)d Mo au plus).",
                             n=limits.max_uncompressed_bytes // (1024 * 1024)))
    return archive


def _guarded(rows_of):
    """Run a reader, letting our refusals through and turning a library's many kinds of
    exceptions about a damaged file into one French message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            yield from rows_of()
    except DomainError:
        raise
    except Exception as error:
        raise _unreadable() from error


# XLSX -----------------------------------------------------------------------------------

def xlsx_rows(content: bytes, limits):
    _open_archive(content, limits).close()
    return _guarded(lambda: _first_xlsx_sheet(content, limits))


def _first_xlsx_sheet(content: bytes, limits):
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
                    raise too_many_rows(limits)
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


# ODS ------------------------------------------------------------------------------------

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CELLS = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")


def ods_rows(content: bytes, limits):
    archive = _open_archive(content, limits)
    return _guarded(lambda: _first_ods_sheet(archive, limits))


def _first_ods_sheet(archive: zipfile.ZipFile, limits):
    """The rows of the first table of ``content.xml``, streamed. A row or a cell « repeated »
    n times is expanded only while it holds a value and within the limits; the empty rows
    LibreOffice writes after the data (« repeated » a million times) cost nothing."""
    pending_empty = 0  # empty rows seen since the last row with a value
    rows_out = 0
    with archive, archive.open("content.xml") as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "end" and element.tag == f"{TABLE}table":
                return  # the first sheet only
            if event != "end" or element.tag != f"{TABLE}table-row":
                continue
            cells = _ods_row(element, limits.max_columns)
            repeat = _repeat(element, "number-rows-repeated")
            element.clear()
            if not any(value not in (None, "") for value in cells):
                pending_empty += repeat
                continue
            if rows_out + pending_empty + repeat > limits.max_rows * 10:
                raise too_many_rows(limits)
            for _gap in range(pending_empty):
                yield []
            rows_out += pending_empty + repeat
            pending_empty = 0
            for _copy in range(repeat):
                yield list(cells)


def _repeat(element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{TABLE}{attribute}", "1")))
    except ValueError:
        return 1


def _ods_row(row, max_columns: int) -> list:
    values: list = []
    for cell in row:
        if cell.tag not in CELLS:
            continue
        value = _ods_value(cell)
        repeat = _repeat(cell, "number-columns-repeated")
        if value in (None, ""):
            values.extend([None] * min(repeat, max_columns + 1 - len(values)))
        else:
            values.extend([value] * min(repeat, max_columns + 1 - len(values)))
        if len(values) > max_columns:
            break
    while values and values[-1] in (None, ""):
        values.pop()
    return values[:max_columns]


def _ods_value(cell):
    kind = cell.get(f"{OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(f"{OFFICE}value", "0"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        return cell.get(f"{OFFICE}date-value", "")[:10]
    paragraphs = ["".join(part.itertext()) for part in cell.iter(f"{TEXT}p")]
    return "\n".join(paragraphs) if paragraphs else None


# XLS ------------------------------------------------------------------------------------

def xls_rows(content: bytes, limits):
    _check_xls_size(content, limits)
    return _guarded(lambda: _first_xls_sheet(content, limits))


BOF, DIMENSIONS, WORKSHEET = 0x0809, 0x0200, 0x0010
# Records of one cell (row, column first) and of a run of cells (row, first column, …,
# last column in the record's last two bytes).
CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0204, 0x0205, 0x00D6}
RUN_RECORDS = {0x00BD, 0x00BE}


def xls_extent(content: bytes) -> list[tuple[int, int]]:
    """(rows, columns) of each worksheet of an .xls file, the larger of the size its
    DIMENSIONS record declares and the size its cells use, read from the records without
    reading the cells' values."""
    import olefile

    try:
        with olefile.OleFileIO(content) as container:
            name = next((n for n in ("Workbook", "Book") if container.exists(n)), None)
            if name is None:
                raise _unreadable()
            stream = container.openstream(name).read()
    except DomainError:
        raise
    except Exception as error:  # not an OLE file, a damaged sector chain…
        raise _unreadable() from error
    sheets: list[list[int]] = []
    sheet = None
    offset = 0
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        data = stream[offset + 4:offset + 4 + length]
        offset += 4 + length
        if kind == BOF:
            sheet = None
            if len(data) >= 4 and struct.unpack_from("<H", data, 2)[0] == WORKSHEET:
                sheet = [0, 0]
                sheets.append(sheet)
        elif sheet is None:
            continue
        elif kind == DIMENSIONS and len(data) >= 10:
            wide = len(data) >= 14  # BIFF8 counts rows on 32 bits
            first, last, first_col, last_col = struct.unpack_from(
                "<IIHH" if wide else "<HHHH", data)
            sheet[0] = max(sheet[0], last - first)
            sheet[1] = max(sheet[1], last_col - first_col)
        elif kind in CELL_RECORDS | RUN_RECORDS and len(data) >= 6:
            row, column = struct.unpack_from("<HH", data)
            if kind in RUN_RECORDS:
                column = struct.unpack_from("<H", data, len(data) - 2)[0]
            sheet[0] = max(sheet[0], row + 1)
            sheet[1] = max(sheet[1], column + 1)
    return [(rows, columns) for rows, columns in sheets]


def _check_xls_size(content: bytes, limits) -> None:
    for rows, columns in xls_extent(content):
        if rows > limits.max_rows * 10:
            raise too_many_rows(limits)
        if rows * columns > limits.max_cells:
            raise DomainError(_("Une feuille du classeur est trop grande (%(n)s cellules au "
                                "plus) : enregistrez seulement le tableau à importer.",
                                n=f"{limits.max_cells:,}".replace(",", " ")))


def _first_xls_sheet(content: bytes, limits):
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    try:
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > limits.max_rows * 10:
            raise too_many_rows(limits)
        for cells in sheet.iter_rows():
            yield [_xls_value(cell) for cell in cells[:limits.max_columns]]
    finally:
        workbook.close()


def _xls_value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
