"""Text from a source or a user (titles, names, notes, usernames) for any Streamlit
element that reads Markdown — labels, captions, headings, tooltips, link labels.

Every such string goes through `plain`, so that it is shown as the characters it holds:
no link, image, emphasis, heading, colour directive, icon, formula or HTML, and no
request to anywhere."""

from __future__ import annotations

import string

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it covers
# Markdown, Streamlit's directives (:red[…], :material/…:) and HTML alike.
_PUNCTUATION = frozenset(string.punctuation)
# GitHub-flavoured Markdown turns bare addresses into links whatever the escaping; a
# word joiner (U+2060, invisible) after the scheme's colon or the "@" keeps them text.
_WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` as literal Markdown, on one line (a line break would start a new block)."""
    if text is None:
        return ""
    out = []
    for char in " ".join(str(text).split()):
        out.append("\\" + char if char in _PUNCTUATION else char)
        if char in ":@":
            out.append(_WORD_JOINER)
    return "".join(out).replace("www\\.", "www" + _WORD_JOINER + "\\.")
