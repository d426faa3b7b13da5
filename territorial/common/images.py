"""Photos as the platform keeps them: decoded with Pillow and encoded anew from their pixels
alone, so that nothing else of the file survives — no EXIF (GPS position, device, date),
no XMP, no comment — turned upright as the camera meant, and reduced to a size a page
shows. Photos of habitants must not tell where they live.

The work is bounded: the image's size is read from its header before decoding, a JPEG is
decoded directly at a reduced scale (``draft``), and anything beyond ``MAX_PIXELS`` after
that is refused.
"""
import io
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from territorial.common.errors import DomainError

MAX_SIDE = 2048  # pixels of the longest side kept
MAX_PIXELS = 40_000_000  # decoded at once (a 50 Mpx JPEG decodes at half scale)
SMALLER_SIDES = (MAX_SIDE, 1600, 1280, 1024)
FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mimetype: str
    extension: str
    width: int
    height: int


def clean_photo(data: bytes, max_bytes: int) -> CleanImage:
    """The photo re-encoded (JPEG, or PNG when it has transparency), at most ``MAX_SIDE``
    pixels wide or high and ``max_bytes`` long."""
    image = _decode(data)
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if transparent else "RGB")
    for side in SMALLER_SIDES:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if transparent:
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        if out.tell() <= max_bytes:
            break
    else:
        raise DomainError(_("Cette image ne peut pas être réduite assez : essayez une autre "
                             "photo."))
    kind = ("image/png", "png") if transparent else ("image/jpeg", "jpg")
    return CleanImage(out.getvalue(), *kind, *image.size)


def _decode(data: bytes) -> Image.Image:
    not_an_image = DomainError(_("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise not_an_image
            if image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4… when it can
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(_("Cette image a trop de pixels (%(n)d millions au plus).",
                                     n=MAX_PIXELS // 1_000_000))
            upright = ImageOps.exif_transpose(image)  # also loads the pixels
            upright.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError, EOFError) as error:
        raise not_an_image from error
    upright.info = {}  # nothing of the original file travels on (exif, xmp, comments…)
    return upright
