"""Shortening people's words for titles, listings, panels and email subjects."""

import textwrap

ELLIPSIS = "…"
# Left dangling before the ellipsis by a cut: "cooking,…" reads as "cooking…".
DANGLING = " ,;:-–—"


def shorten(text, length):
    """``text`` on one line and at most ``length`` characters: cut at a word
    boundary, with "…", when longer. "every quote" never becomes "every qu";
    only a single word longer than ``length`` is cut inside itself."""
    flat = " ".join(str(text or "").split())
    if len(flat) <= length:
        return flat
    short = textwrap.shorten(
        flat, width=length, placeholder=ELLIPSIS, break_on_hyphens=False
    )
    if short == ELLIPSIS:  # the first word alone is too long: no boundary to cut at
        short = flat[: length - 1] + ELLIPSIS
    return short[:-1].rstrip(DANGLING) + ELLIPSIS
