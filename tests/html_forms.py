"""What a browser would submit from a page's form: the test client then posts exactly what the
page shows (values, checked boxes, selected options), not data written by hand."""
from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormReader(HTMLParser):
    def __init__(self, form_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.inside = False
        self.data: MultiDict = MultiDict()
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in ("submit", "button"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.data.add(name, attrs.get("value", "on" if attrs.get("type") == "checkbox"
                                              else ""))
        elif tag == "select":
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            chosen = next((v for v, selected in self.options if selected),
                          self.options[0][0] if self.options else "")
            self.data.add(self.select, chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            # a browser drops the line break that opens a textarea (WTForms writes "\r\n")
            self.data.add(self.textarea, text[2:] if text.startswith("\r\n")
                          else text[1:] if text.startswith("\n") else text)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_data(html: str, form_class: str) -> MultiDict:
    """The fields of the first ``<form class="…form_class…">`` as the browser would send them."""
    reader = _FormReader(form_class)
    reader.feed(html)
    return reader.data
