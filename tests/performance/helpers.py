"""Reading pages as an officer sees them: the main content as text, one line per table row."""

import html
import re


def page_text(response) -> str:
    """The page's main content as text, one line per table row, cells separated by " | "."""
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", "", main, flags=re.S)
    main = re.sub(r"</t[hd]>\s*<t[hd][^>]*>", " | ", main)
    text = re.sub(r"<[^>]+>", " ", main)
    return html.unescape(re.sub(r"[ \t]+", " ", text))


def row_of(text: str, first_cell: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(first_cell + " |"))


def cells(text: str, first_cell: str) -> list[str]:
    return row_of(text, first_cell).split(" | ")
