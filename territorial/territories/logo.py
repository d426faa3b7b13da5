"""The territory's logo, printed in the header of every document (optional).

Uploaded in the territory's settings; Pillow checks that the file is an image, removes
what it carries besides the pixels, and stores it as a PNG of at most 600 × 240 pixels,
enough for a header 1.2 cm high.
"""
from __future__ import annotations

import base64
from io import BytesIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from territorial.common.errors import DomainError
from territorial.common.models import Timestamped

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIZE = (600, 240)
MIN_SIDE = 16


class TerritoryLogo(Timestamped, db.Model):
    __audit_name__ = _l("Logo du territoire")
    __audit_link__ = ("territory.settings", {})
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(
        db.String(255), default="", info={"label": _l("Nom du fichier")})
    width: Mapped[int] = mapped_column(info={"label": _l("Largeur")})
    height: Mapped[int] = mapped_column(info={"label": _l("Hauteur")})
    data: Mapped[bytes] = mapped_column(LargeBinary, info={"hidden": True})

    def audit_label(self) -> str:
        return _("Logo du territoire")


def logo_png(territory_id: int) -> bytes | None:
    return db.session.scalar(select(TerritoryLogo.data)
                             .where(TerritoryLogo.territory_id == territory_id))


def logo_data_uri(territory_id: int) -> str | None:
    """The logo as a ``data:`` URI, to show it in the settings page (small: 600 × 240)."""
    data = logo_png(territory_id)
    return f"data:image/png;base64,{base64.b64encode(data).decode('ascii')}" if data else None


def normalise(data: bytes) -> tuple[bytes, int, int]:
    """(PNG bytes, width, height) of an uploaded image, or DomainError in French."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise DomainError(_("Choisissez un fichier image."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("L'image dépasse 5 Mo : choisissez un fichier plus léger."))
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(BytesIO(data))
        if image.format not in ("PNG", "JPEG", "GIF", "WEBP"):
            raise DomainError(_("Le logo doit être une image PNG, JPEG, GIF ou WebP."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise DomainError(_("Ce fichier n'est pas une image lisible.")) from error
    if min(image.size) < MIN_SIDE:
        raise DomainError(_("L'image est trop petite (au moins %(px)d pixels de côté).",
                          px=MIN_SIDE))
    image = image.convert("RGBA")
    image.thumbnail(MAX_SIZE)
    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue(), image.width, image.height


def set_logo(territory, filename: str, data: bytes) -> TerritoryLogo:
    png, width, height = normalise(data)
    logo = db.session.scalar(select(TerritoryLogo)
                             .where(TerritoryLogo.territory_id == territory.id))
    if logo is None:
        logo = TerritoryLogo(territory_id=territory.id)
        db.session.add(logo)
    logo.filename, logo.width, logo.height, logo.data = (filename or "")[:255], width, height, png
    db.session.flush()
    return logo


def remove_logo(territory) -> bool:
    logo = db.session.scalar(select(TerritoryLogo)
                             .where(TerritoryLogo.territory_id == territory.id))
    if logo is None:
        return False
    db.session.delete(logo)
    db.session.flush()
    return True
