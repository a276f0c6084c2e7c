"""“Your data”: anyone can get a copy of what we store about their address, or
have it erased, from a link we email to that address.

The page never says whether an address is known: everyone who asks gets the
same answer and the same email. The link carries the address sealed (never
readable, not even in a server log) and works once, for a day.
"""

import secrets
import time

from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from .. import ratelimit, tokens
from ..addresses import normalize
from ..conf import setting
from ..emails import absolute_url, send_templated_email, site_name
from ..rendering import render
from ..responses import link_expired, link_not_valid, problem
from ..sealing import InvalidToken, seal, unseal
from ..settings import ModerationSettings
from . import records
from .forms import AskForm, EraseForm
from .models import PersonalDataAction

PURPOSE = "personal-data"
SELF = PersonalDataAction.Source.SELF_SERVICE


@require_http_methods(["GET", "POST"])
def ask(request):
    form = AskForm(request.POST or None)
    if request.method == "POST":
        network = ratelimit.client_network(request)
        if wait := ratelimit.hit("data-ip", network, *setting("DATA_REQUEST_RATE_IP")):
            return _too_many(request, wait)
        if form.is_valid():
            email = form.cleaned_data["email"]  # written to as typed
            if wait := ratelimit.hit(
                "data-email",
                normalize(email),
                *setting("DATA_REQUEST_RATE_EMAIL"),
            ):
                return _too_many(request, wait)
            if not form.cleaned_data["website"]:  # a bot gets the same answer
                _send_link(request, email)
            return redirect(reverse("moderation:personal_data_ask") + "?sent=1")
    return render(
        request,
        "moderation/personal_data/ask.html",
        {
            "form": form,
            "sent": request.GET.get("sent") == "1",
            "hours": setting("DATA_LINK_HOURS"),
            "privacy_url": ModerationSettings.for_request(request).privacy_url(request),
        },
    )


def _send_link(request, email):
    """The same email whether or not we hold anything: no user text in it."""
    token = seal(
        {"email": email, "at": int(time.time()), "nonce": secrets.token_hex(8)},
        purpose=PURPOSE,
    )
    send_templated_email(
        "moderation/emails/personal_data_link",
        to=email,
        subject=_("Your data on %(site)s") % {"site": site_name()},
        context={
            "link": absolute_url(
                reverse("moderation:personal_data_manage", args=[token]),
                Site.find_for_request(request),
            ),
            "hours": setting("DATA_LINK_HOURS"),
        },
    )


@require_http_methods(["GET", "POST"])
def manage(request, token):
    email, failure = _read_link(request, token)
    if failure:
        return failure
    link_hash = tokens.hash_link(token)
    erase_form = EraseForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "export":
                document = records.export(email, source=SELF, link_hash=link_hash)
                response = HttpResponse(
                    records.as_json(document), content_type="application/json"
                )
                response["Content-Disposition"] = (
                    'attachment; filename="your-data.json"'
                )
                return response
            erase_form = EraseForm(request.POST)
            if erase_form.is_valid():
                records.erase(
                    email,
                    comments=erase_form.cleaned_data["comments"],
                    source=SELF,
                    link_hash=link_hash,
                )
                return render(request, "moderation/personal_data/erased.html")
        except IntegrityError:  # the same link, used at the same moment elsewhere
            return _used(request)
    return render(
        request,
        "moderation/personal_data/manage.html",
        {
            "summary": records.Found.search(email).summary(),
            "erase_form": erase_form,
        },
    )


def _read_link(request, token):
    """(email, None) for a good link, else (None, the page saying what is wrong)."""
    try:
        data = unseal(token, purpose=PURPOSE)
    except InvalidToken:
        return None, link_not_valid(
            request,
            _(
                "It may have been cut off when it was copied. Open it from our email "
                "again, or ask for a new one on the “Your data” page."
            ),
        )
    if time.time() - data["at"] > setting("DATA_LINK_HOURS") * 60 * 60:
        return None, link_expired(
            request,
            _(
                "For your safety it worked for %(hours)s hours. Ask for a new one on "
                "the “Your data” page."
            )
            % {"hours": setting("DATA_LINK_HOURS")},
        )
    if PersonalDataAction.objects.filter(link_hash=tokens.hash_link(token)).exists():
        return None, _used(request)
    return data["email"], None


def _used(request):
    return problem(
        request,
        410,
        _("This link has been used"),
        _(
            "Each link works once. If you need something else, ask for a new one on "
            "the “Your data” page."
        ),
    )


def _too_many(request, wait):
    return problem(
        request,
        429,
        _("Too many requests"),
        _("Please wait %(minutes)s minutes, then ask again.")
        % {"minutes": max(1, wait // 60)},
        retry_after=wait,
    )
