"""Uploaded files are read with bounds that stop early (rows, uncompressed size, cell size),
and photos are re-encoded: no EXIF (GPS position, device), turned upright, reduced, with a
neutral name; a photo too heavy shows the form again with its message and its caption."""
import io
import struct
import zipfile

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from extensions import db
from territorial.actors.models import Organisation
from territorial.common.errors import DomainError
from territorial.common.spreadsheets import TableLimits, read_table_rows
from territorial.common.workbook_readers import xls_extent
from territorial.reviews.models import ReviewPhoto
from territorial.reviews.operations import photo_bytes
from tests.import_support import count, ods, xlsx


def _multipart(url, fields: dict):
    """The body encoded once in memory (the test client would spool a large one to a
    temporary file that it leaves open), then posted."""
    boundary, body = encode_multipart(MultiDict(fields))
    return {"path": url, "data": body,
            "content_type": f"multipart/form-data; boundary={boundary}"}


def _upload(client, territory, filename, content: bytes):
    request = _multipart(f"/t/{territory.slug}/organisations/import",
                         {"file": FileStorage(io.BytesIO(content), filename)})
    return client.post(**request, follow_redirects=True)


def _with_sheet(xlsx: bytes, write_sheet) -> bytes:
    """The same workbook whose first sheet's XML is written by ``write_sheet(stream)``."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w") as stream:
                    write_sheet(stream)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Organisation</t></is></c>'
               b'</row>')
SHEET_END = b"</sheetData></worksheet>"


def _rows_bomb(megabytes: int, end: bytes = SHEET_END) -> bytes:
    row = b'<row><c t="inlineStr"><is><t>Association des habitants</t></is></c></row>'
    chunk = row * 10_000

    def write(stream):
        stream.write(SHEET_START)
        for _ in range(megabytes * 1024 * 1024 // len(chunk)):
            stream.write(chunk)
        stream.write(end)

    return _with_sheet(xlsx([["Organisation"]]), write)


def test_an_xlsx_bomb_is_refused_from_its_declared_size(signed_in, territory):
    bomb = _rows_bomb(200)
    assert len(bomb) < 2 * 1024 * 1024  # a small file that expands to 200 MB of XML
    response = _upload(signed_in, territory, "bombe.xlsx", bomb)
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # the import form again, with the message
    # The message of the check made before anything is decompressed.
    assert "Le fichier est trop volumineux une fois décompressé (20 Mo au plus)." in page


def test_a_sheet_with_too_many_rows_stops_at_the_limit():
    limits = TableLimits(max_rows=100, max_uncompressed_bytes=50 * 1024 * 1024)
    # The sheet's XML is broken at its end: read to the end, it would be « ne peut pas être
    # lu »; it is refused at row 101, so the rest is never read.
    sheet = _rows_bomb(1, end=b"<row><c <<< not XML")  # 10,000 rows, then no XML
    with pytest.raises(DomainError, match="Le fichier dépasse 100 lignes."):
        read_table_rows("lignes.xlsx", sheet, limits)
    with pytest.raises(DomainError, match="ne peut pas être lu"):
        read_table_rows("lignes.xlsx", sheet, TableLimits(
            max_rows=1_000_000, max_uncompressed_bytes=50 * 1024 * 1024))


def test_a_huge_cell_is_refused_with_its_line(signed_in, territory):
    def write(stream):
        stream.write(SHEET_START)
        stream.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        stream.write(b"A" * 300_000)
        stream.write(b"</t></is></c></row>")
        stream.write(SHEET_END)

    page = _upload(signed_in, territory, "cellule.xlsx",
                   _with_sheet(xlsx([["Organisation"]]), write)).get_data(as_text=True)
    assert "Ligne 2" in page and "10 000 caractères" in page


def test_a_csv_cell_over_the_csv_module_limit_is_refused_not_a_500(signed_in, territory):
    content = "Organisation;Commune\n" + '"' + "x" * 200_000 + '";Charenton\n'
    response = _upload(signed_in, territory, "long.csv", content.encode())
    assert response.status_code == 422  # the import form again, with the message
    assert "10 000 caractères" in response.get_data(as_text=True)


def test_a_csv_with_too_many_rows_is_refused(signed_in, territory):
    content = "Organisation\n" + "Association\n" * 5001
    page = _upload(signed_in, territory, "lignes.csv", content.encode()).get_data(as_text=True)
    assert "5000 lignes" in page


def test_an_ordinary_workbook_is_still_read(signed_in, territory):
    page = _upload(signed_in, territory, "acteurs.xlsx",
                   xlsx([["Organisation", "Commune"], ["Épicerie solidaire", "Charenton"]]))
    text = page.get_data(as_text=True)
    assert "Colonnes du fichier" in text and "Épicerie solidaire" in text


def test_a_damaged_workbook_gets_a_message(signed_in, territory):
    page = _upload(signed_in, territory, "abime.xlsx", b"PK\x03\x04 pas un classeur")
    assert "ne peut pas être lu" in page.get_data(as_text=True)


# Workbooks whose declared or used size is huge -----------------------------------------

def _xls_cells(cells: dict) -> bytes:
    """An .xls file with the given cells, ``{(row, column): value}``."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Feuille1")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _declaring(content: bytes, rows: int, columns: int) -> bytes:
    """The same .xls whose DIMENSIONS record declares ``rows`` × ``columns``."""
    record = content.index(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes (BIFF8)
    return (content[:record + 4] + struct.pack("<IIHH", 0, rows, 0, columns)
            + content[record + 16:])


@pytest.fixture
def calamine_untouched(monkeypatch):
    """Fails the test if the .xls reader is reached: the file must be refused before."""
    import python_calamine

    def reached(*args, **kwargs):
        raise AssertionError("calamine was asked to read the file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", reached)


@pytest.mark.parametrize("cells, message", [
    ({(0, 0): "Organisation", (65_535, 0): "Association"}, "Le fichier dépasse 5000 lignes."),
    ({(0, 0): "Organisation", (39_999, 99): "x"}, "trop grande (2 000 000 cellules au plus)"),
])
def test_an_xls_whose_cells_span_a_huge_sheet_is_refused_before_it_is_read(
        signed_in, territory, calamine_untouched, cells, message):
    response = _upload(signed_in, territory, "grand.xls", _xls_cells(cells))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_an_xls_declaring_huge_dimensions_is_refused_before_it_is_read(
        signed_in, territory, calamine_untouched):
    content = _declaring(_xls_cells({(0, 0): "Organisation", (1, 0): "Épicerie"}),
                         rows=0xFFFF_FFF0, columns=256)
    response = _upload(signed_in, territory, "declare.xls", content)
    assert response.status_code == 422
    assert "Le fichier dépasse 5000 lignes." in response.get_data(as_text=True)
    assert count(Organisation) == 0


def test_an_ordinary_xls_is_measured_then_read(signed_in, territory):
    content = _xls_cells({(0, 0): "Organisation", (0, 1): "Commune", (1, 0): "Épicerie",
                          (1, 1): "Charenton"})
    assert xls_extent(content) == [(2, 2)]
    text = _upload(signed_in, territory, "acteurs.xls", content).get_data(as_text=True)
    assert "Colonnes du fichier" in text and "Épicerie" in text


def test_a_damaged_xls_gets_a_message(signed_in, territory, calamine_untouched):
    page = _upload(signed_in, territory, "abime.xls", b"\xd0\xcf\x11\xe0 pas un classeur")
    assert "ne peut pas être lu" in page.get_data(as_text=True)


def test_an_xlsx_declaring_a_huge_sheet_is_read_as_it_streams():
    """The dimension an .xlsx declares (A1:XFD1048576) is not trusted: rows are counted as
    they come, and a cell a million rows down stops the reading there (the broken XML after
    it is never reached)."""
    def write(stream):
        stream.write(SHEET_START.replace(b"<sheetData>",
                                         b'<dimension ref="A1:XFD1048576"/><sheetData>'))
        stream.write(b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is>'
                     b"</c></row><row><c <<< not XML")

    sheet = _with_sheet(xlsx([["Organisation"]]), write)
    with pytest.raises(DomainError, match="Le fichier dépasse 5000 lignes."):
        read_table_rows("grand.xlsx", sheet)


def test_an_ods_cell_repeated_across_every_column_is_cut_at_the_limit():
    rows = read_table_rows("large.ods", ods([["Organisation"], [("Association", 1_000_000)]]))
    assert [len(row) for row in rows] == [1, TableLimits().max_columns]


# Photos ------------------------------------------------------------------------------------

def _phone_photo() -> bytes:
    """A 4032×3024 JPEG of about 4 MB, as a phone takes it: held upright (orientation 6),
    with the device and the GPS position in its EXIF."""
    width, height = 4032, 3024
    noise = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    image = Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (47.0, 14.0, 30.0)  # latitude: Besançon
    gps[3], gps[4] = "E", (6.0, 1.0, 20.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@pytest.fixture(scope="module")
def phone_photo():
    return _phone_photo()


def _post_photo(client, review, data: bytes, filename="IMG_20260301_103000.jpg",
                caption="Une halte du camion au marché"):
    return client.post(**_multipart(
        f"/t/{review.territory.slug}/projects/{review.project_id}/reviews/{review.id}/photos",
        {"photo-photo": FileStorage(io.BytesIO(data), filename), "photo-caption": caption}))


@pytest.fixture
def review(factory, territory):
    review = factory.project_review(territory)
    review.territory = territory
    return review


def test_a_phone_photo_is_accepted_reduced_upright_and_without_exif(
        signed_in, review, phone_photo):
    assert 3 * 1024 * 1024 < len(phone_photo) < 8 * 1024 * 1024
    original = Image.open(io.BytesIO(phone_photo))
    assert original.getexif().get_ifd(0x8825)  # the GPS position is there before
    response = _post_photo(signed_in, review, phone_photo)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    photo = db.session.scalars(select(ReviewPhoto).where(ReviewPhoto.review_id == review.id)).one()
    stored = photo_bytes(photo)
    assert len(stored) < 2 * 1024 * 1024 and photo.size == len(stored)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and photo.mimetype == "image/jpeg"
    assert max(image.size) <= 2048 and image.size[1] > image.size[0]  # upright portrait
    exif = image.getexif()
    assert not exif and not exif.get_ifd(0x8825)
    assert b"PhoneModel" not in stored and b"Exif" not in stored
    assert "IMG_2026" not in photo.filename and photo.filename.endswith(".jpg")


def test_a_transparent_png_stays_a_png(signed_in, review):
    image = Image.new("RGBA", (3000, 1000), (200, 30, 30, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert _post_photo(signed_in, review, out.getvalue(), "logo.png").status_code == 302
    photo = db.session.scalars(select(ReviewPhoto).where(ReviewPhoto.review_id == review.id)).one()
    stored = Image.open(io.BytesIO(photo_bytes(photo)))
    assert stored.format == "PNG" and stored.mode == "RGBA" and stored.size == (2048, 683)


def test_a_photo_too_heavy_shows_the_form_with_its_message_and_caption(signed_in, review):
    response = _post_photo(signed_in, review, b"\xff\xd8\xff" + b"0" * (24 * 1024 * 1024),
                           caption="Le marché de Pau")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20 Mo au plus" in page and 'value="Le marché de Pau"' in page


def test_a_body_beyond_every_limit_gets_a_french_page(signed_in, review):
    response = _post_photo(signed_in, review, b"0" * (70 * 1024 * 1024))
    assert response.status_code == 413
    assert "Mo" in response.get_data(as_text=True)


def test_a_file_that_is_not_an_image_is_refused_with_the_caption_kept(signed_in, review):
    response = _post_photo(signed_in, review, b"\xff\xd8\xff pas une image", caption="Halte")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "pas une image" in page and 'value="Halte"' in page
