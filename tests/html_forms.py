"""What a browser would submit from a page's form: the test client then posts exactly what the
page shows (values, checked boxes, selected options), not data written by hand."""
from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class PageForm:
    """A ``<form>`` of a page: where it goes, how, and what a browser would send."""

    TEXT_TYPES = {"text", "email", "url", "search", "tel", "password"}

    def __init__(self, action: str, method: str, enctype: str, classes: list[str]) -> None:
        self.action, self.method, self.enctype, self.classes = action, method, enctype, classes
        self.data: MultiDict = MultiDict()
        self.text_fields: list[str] = []  # what a person types into: inputs and textareas
        self.submit: tuple[str, str] | None = None  # the first named submit button

    def submitted_data(self) -> MultiDict:
        """What the browser sends when the first submit button is pressed."""
        data = self.data.copy()
        if self.submit:
            data.add(*self.submit)
        return data

    def __repr__(self) -> str:
        return f"<form {self.method} {self.action} {self.text_fields}>"


class _AllForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = PageForm(attrs.get("action") or "", (attrs.get("method") or "get").lower(),
                                 attrs.get("enctype") or "", (attrs.get("class") or "").split())
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("input", "button") and kind == "submit" and name and not self.form.submit:
            self.form.submit = (name, attrs.get("value", ""))
        if tag == "input" and name and kind not in ("submit", "button", "reset", "image", "file"):
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.form.data.add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
            if kind in PageForm.TEXT_TYPES and "readonly" not in attrs:
                self.form.text_fields.append(name)
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select and self.form is not None:
            chosen = next((v for v, selected in self.options if selected),
                          self.options[0][0] if self.options else "")
            self.form.data.add(self.select, chosen)
            self.select = None
        elif tag == "textarea" and self.textarea and self.form is not None:
            text = "".join(self.text)
            # a browser drops the line break that opens a textarea (WTForms writes "\r\n")
            self.form.data.add(self.textarea, text[2:] if text.startswith("\r\n")
                               else text[1:] if text.startswith("\n") else text)
            self.form.text_fields.append(self.textarea)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def page_forms(html: str) -> list[PageForm]:
    """Every form of the page, as a browser would fill it before anyone types."""
    reader = _AllForms()
    reader.feed(html)
    return reader.forms


def form_data(html: str, form_class: str) -> MultiDict:
    """The fields of the first ``<form class="…form_class…">`` as the browser would send them."""
    return next(form for form in page_forms(html) if form_class in form.classes).data
