"""Submit a page's HTML form as a browser would: every field with the value the page gave it.

    data = form_data(response)                      # the first POST form of the page (not sign-out)
    data = form_data(response, action="/x/")        # the form posting to /x/
    data.update({"title": "New title"})
    client.post(url, data)

Inputs (text, hidden, number, checked checkboxes and radios), selects (the selected option, else the
first one, as a browser does) and textareas are read; submit buttons are not, unless `button=` names
one. Admin inline rows are added with add_inline_rows(), which also raises the formset's TOTAL_FORMS.
"""

import re
from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": (attrs.get("method") or "get").lower()}
            self._form["fields"] = []
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "selected": [], "multiple": "multiple" in attrs}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select = self._select
            values = select["selected"] or ([] if select["multiple"] or select["first"] is None else [select["first"]])
            for value in values:
                self._form["fields"].append((select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def forms_of(response) -> list[dict]:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


def form_data(response, *, action: str | None = None, index: int | None = None) -> dict:
    """The fields of one POST form of the page as a dict (a list for a name given several times)."""
    forms = [
        form
        for form in forms_of(response)
        if form["method"] == "post" and not re.search(r"sign-out|logout", form["action"])
    ]
    if action is not None:
        forms = [form for form in forms if form["action"] == action]
    assert forms, "The page has no such form."
    form = forms[index or 0]
    data: dict = {}
    for name, value in form["fields"]:
        if name in data:
            data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
        else:
            data[name] = value
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Add rows to an admin inline formset's data, after the rows it already has."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data
