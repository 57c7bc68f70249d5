"""The visible text of a web page."""

from __future__ import annotations

from mlpivot.ingest.plain_text import NON_TEXT_TAGS


def html_to_text(html: str) -> str:
    """Visible text of a web page, one block a line; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(NON_TEXT_TAGS)):
        tag.decompose()
    lines = (" ".join(line.split()) for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)
