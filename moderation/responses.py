"""The public pages that say no: what happened and what to do, with the status
code that says it to a program too (promise 6 in docs/design.md). Every public
view of the app refuses through these."""

from django.utils.translation import gettext as _

from .rendering import render


def problem(request, status, title, message, page=None, retry_after=None, contact=None):
    """A page with ``title`` and ``message``, and a link back to ``page`` (or the
    home page). ``retry_after`` (seconds) goes into a ``Retry-After`` header.
    ``contact`` (from ``emails.contact``) adds how to reach the shop."""
    response = render(
        request,
        # Where the template has always been: a host may override it there.
        "moderation/comments/problem.html",
        {"title": title, "message": message, "back_page": page, "contact": contact},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def link_not_valid(request, message, *, status=404, contact=None):
    """A link from one of our emails that is forged, cut off or unknown."""
    return problem(
        request, status, _("This link is not valid"), message, contact=contact
    )


def link_expired(request, message, *, contact=None):
    return problem(request, 410, _("This link has expired"), message, contact=contact)


def form_changed(request, message, page=None):
    """A signed form whose hidden fields were not as we sent them."""
    return problem(request, 400, _("This form was changed"), message, page)


def too_many(request, wait, page=None):
    """The comment and feedback forms, over a rate limit (``wait`` seconds)."""
    return problem(
        request,
        429,
        _("Too many comments at once"),
        _("Please wait %(seconds)s seconds, then send your comment again.")
        % {"seconds": wait},
        page,
        retry_after=wait,
    )
