"""One way to send a generated file, and CSV safe for spreadsheets."""
import csv
import io

from flask import send_file

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

MIMETYPES = {
    "csv": "text/csv",  # Werkzeug adds « ; charset=utf-8 » to text types, once
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar",
    "png": "image/png",
}


def send_download(data: io.BytesIO, filename: str):
    data.seek(0)
    extension = filename.rsplit(".", 1)[-1]
    response = send_file(
        data, mimetype=MIMETYPES[extension], as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def neutralise(value) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_bytes(headers: list[str], rows) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return io.BytesIO(text.getvalue().encode("utf-8-sig"))
