"""An upload kept between the preview and the confirmation: in the user's session, as the parsed
cell values (JSON), under a random token, for at most an hour.

The session belongs to one signed-in user (Django replaces it at sign-in and empties it at sign-out),
and the user's id is kept beside the upload and checked again, so a token is useless to anyone else.
The file itself is never stored. At most MAX_PENDING uploads are kept; the oldest goes first.
"""

import secrets
import time
from dataclasses import dataclass

from django.http import Http404

from exchange.importer import Target
from exchange.workbook import RawBook

SESSION_KEY = "exchange_pending_imports"
MAX_AGE_SECONDS = 60 * 60
MAX_PENDING = 3


@dataclass
class PendingImport:
    token: str
    book: RawBook
    target: Target
    table: str
    filename: str


def keep(request, *, book: RawBook, target: Target, table: str = "") -> str:
    token = secrets.token_urlsafe(18)
    pending = _live(request)
    pending[token] = {
        "user": request.user.pk,
        "at": time.time(),
        "book": book.to_json(),
        "target": target.to_json(),
        "table": table or "",
    }
    while len(pending) > MAX_PENDING:
        oldest = min(pending, key=lambda name: pending[name]["at"])
        del pending[oldest]
    request.session[SESSION_KEY] = pending
    return token


def fetch(request, token: str) -> PendingImport:
    """The upload under this token for this user; 404 if there is none (or it has expired)."""
    entry = _live(request).get(token)
    if entry is None or entry["user"] != request.user.pk:
        raise Http404("This upload has expired or does not exist: upload the file again.")
    book = RawBook.from_json(entry["book"])
    return PendingImport(
        token=token, book=book, target=Target.from_json(entry["target"]), table=entry["table"], filename=book.filename
    )


def discard(request, token: str) -> None:
    pending = _live(request)
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending


def _live(request) -> dict:
    now = time.time()
    pending = request.session.get(SESSION_KEY, {})
    live = {token: entry for token, entry in pending.items() if now - entry.get("at", 0) < MAX_AGE_SECONDS}
    if len(live) != len(pending):
        request.session[SESSION_KEY] = live
    return live
