"""Small text helpers."""
import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    """« Charenton-Saint-Maurice » → ``charenton-saint-maurice``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "territoire"
