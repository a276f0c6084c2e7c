"""Wagtail's own doors around the moderation models.

Vouch registers snippet and model viewsets; Wagtail adds views around them that
Vouch did not write (choosers, delete, history, usage, revisions, bulk actions,
editing sessions ...). The walk below finds every admin URL pattern registered
for a moderation model in the URL resolver, so a view Wagtail adds later is
walked too, fills its path with real objects and asks it with GET and POST as
four kinds of user. ``RULES`` says who each door answers; a door nobody decided
on fails the walk.
"""

import itertools
from collections import defaultdict
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.translation import gettext_lazy
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import ModelLogEntry, Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from moderation.comments import actions as comment_actions
from moderation.comments.admin_views import SINGLE_ACTIONS
from moderation.comments.models import Comment, PageCommentCounts
from moderation.outbox.models import OutboxEmail
from moderation.personal_data import records
from moderation.personal_data.models import PersonalDataAction
from moderation.settings import ModerationSettings
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.corpora import email_probes, probe_hits
from tests.test_admin_privacy import body, make_user

pytestmark = pytest.mark.django_db

PROBES = email_probes()
ADDRESSES = [row["address"] for row in PROBES]


# The four users -------------------------------------------------------------------

ROLES = ("admin only", "moderator", "testimonial editor", "superuser")


def permissions_of_testimonial_editors():
    """Every permission there is on testimonials (add, change, delete, view,
    publish, lock, unlock), and reading feedback to draft them from."""
    return Permission.objects.filter(
        content_type__app_label="moderation", content_type__model="testimonial"
    ) | Permission.objects.filter(codename__in=["access_admin", "view_feedback"])


def user_for(role, django_user_model):
    if role == "admin only":
        return make_user(
            django_user_model,
            "visitor",
            Permission.objects.filter(codename="access_admin"),
        )
    if role == "moderator":
        return make_user(django_user_model, "moderator", group="Comment moderators")
    if role == "testimonial editor":
        return make_user(
            django_user_model, "editor", permissions_of_testimonial_editors()
        )
    return django_user_model.objects.create_superuser(
        "root", "root@staff.invalid", "pw-123456-long"
    )


# Who may use which door -----------------------------------------------------------

NOBODY = frozenset()
SUPERUSER = frozenset({"superuser"})
MODERATORS = frozenset({"moderator", "superuser"})
EDITORS = frozenset({"testimonial editor", "superuser"})


# Settings and tasks keep no editing session on their edit screens, but Wagtail
# 8's ping takes any model with a permission policy, so it answers whoever may
# edit one; 7.4's takes pages and snippets only, and finds neither (404 for all).
PINGERS = SUPERUSER if WAGTAIL_VERSION >= (8,) else NOBODY


def rule(roles, model, kinds):
    return {(model, kind): roles for kind in kinds}


# A kind is the URL name in the model's own namespaces, or Wagtail's namespaced
# name for its generic doors (filled in with each model's app label and name);
# "=value" names an action, "+pk" the pattern of a generic door that takes one.
DECIDED = {
    # Comments: moderators read and act; only Reveal needs "Can see commenters'
    # email addresses"; nobody adds or edits one by hand.
    **rule(
        MODERATORS,
        "comment",
        [
            "list",
            "list_results",
            "inspect",
            "history",
            "history_results",
            "delete",
            "action=approve",
            "action=reject",
            "action=spam",
            "action=restore",
            "reply",
            "email_author",
            "choose",
            "choose_results",
            "chosen",
            "chosen_multiple",
            "wagtail_bulk_action=approve",
            "wagtail_bulk_action=reject",
            "wagtail_bulk_action=spam",
            "wagtail_bulk_action=restore",
            "wagtail_bulk_action=delete",
        ],
    ),
    ("comment", "reveal_email"): SUPERUSER,
    **rule(NOBODY, "comment", ["add", "edit", "usage", "create", "action=nonsense"]),
    # Testimonials: their editors, and their chooser (the block in articles).
    **rule(
        EDITORS,
        "testimonial",
        [
            "list",
            "list_results",
            "inspect",
            "history",
            "history_results",
            "add",
            "edit",
            "delete",
            "copy",
            "usage",
            "revisions_revert",
            "revisions_compare",
            "revisions_unschedule",
            "unpublish",
            "lock",
            "unlock",
            # Then the task offers what it offers: "reject" (cancel the
            # request) to editors; only the customer says yes.
            "workflow_action=reject",
            "workflow_action=approve",
            "collect_workflow_action_data=reject",
            "collect_workflow_action_data=approve",
            "confirm_workflow_cancellation",
            "workflow_history",
            "workflow_history_detail",
            "choose",
            "choose_results",
            "chosen",
            "chosen_multiple",
            "wagtail_bulk_action=delete",
            "wagtailadmin_editing_sessions:ping",
        ],
    ),
    ("testimonial", "reveal_email"): SUPERUSER,  # "Can see customers' addresses"
    ("testimonial", "create"): NOBODY,  # the chooser has no creation form
    # Feedback: read by whoever drafts testimonials from it.
    **rule(
        EDITORS,
        "feedback",
        [
            "index",
            "index_results",
            "inspect",
            "history",
            "history_results",
            "draft_testimonial",
        ],
    ),
    ("feedback", "reveal_email"): SUPERUSER,
    # The outbox: moderators read it; retrying and seeing recipients are
    # granted one by one.
    **rule(
        MODERATORS,
        "outboxemail",
        ["index", "index_results", "inspect", "history", "history_results"],
    ),
    ("outboxemail", "retry"): SUPERUSER,
    ("outboxemail", "reveal_email"): SUPERUSER,
    # Personal data: "Can export and erase a person's data" only.
    **rule(SUPERUSER, "personaldataaction", ["index", "index_results", "find"]),
    # Settings → Moderation, and the workflow step only the customer completes.
    **rule(
        SUPERUSER,
        "moderationsettings",
        ["wagtailsettings:edit", "wagtailsettings:edit+pk"],
    ),
    ("customerpermissiontask", "wagtailadmin_workflows:add_task"): SUPERUSER,
    ("moderationsettings", "wagtailadmin_editing_sessions:ping"): PINGERS,
    ("customerpermissiontask", "wagtailadmin_editing_sessions:ping"): PINGERS,
}
# Wagtail's generic doors that take an app label and a model name are walked
# for every moderation model; those not decided above are not there for it (or
# its rows have no admin at all: consent evidence, counts, confirmed addresses).
# A generic door Wagtail adds later, or a new model, is undecided.
MODELS = [
    "comment",
    "consentrecord",
    "consentrequest",
    "customerpermissiontask",
    "feedback",
    "moderationsettings",
    "outboxemail",
    "pagecommentcounts",
    "personaldataaction",
    "testimonial",
    "verifiedemail",
]
GENERIC_KINDS = [
    "wagtail_bulk_action",
    "wagtailadmin_editing_sessions:ping",
    "wagtailadmin_pages:add",
    "wagtailadmin_pages:choose_parent",
    "wagtailadmin_pages:preview_on_add",
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailadmin_workflows:add_task",
    "wagtailsettings:edit",
    "wagtailsettings:edit+pk",
    "wagtailsettings:preview_on_edit+pk",
]
RULES = {
    **{(model, kind): NOBODY for model in MODELS for kind in GENERIC_KINDS},
    **DECIDED,
}
# Views that reveal an address: the one place a whole address may be shown.
REVEALS = {"reveal_email"}


# Finding the doors ----------------------------------------------------------------

APP_PARAMS = {"app_label", "app_name", "content_type_app_name"}
MODEL_PARAMS = {"model_name", "content_type_model_name"}
# Path parameters that pick among a few named choices: they are part of the kind.
CHOICE_PARAMS = {"action", "action_name"}


def params_of(pattern):
    return set(pattern.regex.groupindex)


def admin_patterns():
    """(namespace, pattern, path parameters) of every URL pattern under /admin/."""

    def walk(patterns, route, namespaces, params):
        for item in patterns:
            if isinstance(item, URLResolver):
                yield from walk(
                    item.url_patterns,
                    route + str(item.pattern),
                    namespaces + [item.namespace] if item.namespace else namespaces,
                    params | params_of(item.pattern),
                )
            elif (route + str(item.pattern)).startswith("admin/"):
                yield ":".join(namespaces), item, params | params_of(item.pattern)

    yield from walk(get_resolver().url_patterns, "", [], set())


def moderation_models():
    return [
        model
        for model in apps.get_app_config("moderation").get_models()
        if not issubclass(model, Page)  # pages have Wagtail's page permissions
    ]


def view_model(callback):
    """The model a class-based view was built for, if it says."""
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    if isinstance(model, str):
        model = apps.get_model(model)
    return model


class Door:
    """One admin URL pattern for one model (and one value of its action, if
    it takes one)."""

    def __init__(self, model, url_name, kind, params, view_class, choice=None):
        self.model, self.url_name, self.kind = model, url_name, kind
        self.params, self.view_class, self.choice = params, view_class, choice

    @property
    def key(self):
        return (self.model._meta.model_name, self.kind)

    def __repr__(self):
        return f"{self.key}"


def find_doors():
    """Every admin door of a moderation model: the patterns in the URL namespaces
    of its viewsets (found by the namespace's name or by the model its views were
    built for), and Wagtail's generic patterns that take an app label and a
    model name, filled in for each moderation model."""
    models = moderation_models()
    namespaced, generic = defaultdict(list), []
    for namespace, pattern, params in admin_patterns():
        if "moderation" in namespace or view_model(pattern.callback) in models:
            namespaced[namespace].append((pattern, params))
        elif params & APP_PARAMS and params & MODEL_PARAMS:
            generic.append((namespace, pattern, params))

    doors = []
    for namespace, patterns in namespaced.items():
        owners = {view_model(p.callback) for p, _ in patterns} - {None}
        assert len(owners) == 1, f"{namespace}: whose views are these? {owners}"
        (model,) = owners
        for pattern, params in patterns:
            doors += with_choices(
                model, f"{namespace}:{pattern.name}", pattern.name, pattern, params
            )
    for namespace, pattern, params in generic:
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kind = name + ("+pk" if "pk" in params else "")
        for model in models:
            doors += with_choices(model, name, kind, pattern, params)
    return doors


def with_choices(model, url_name, kind, pattern, params):
    """The door, or one door per value of its action parameter."""
    view_class = getattr(pattern.callback, "view_class", None)
    (param,) = sorted(params & CHOICE_PARAMS) or [None]
    if param is None:
        return [Door(model, url_name, kind, params, view_class)]
    if params & APP_PARAMS:  # the bulk action dispatcher: what is registered
        values = [
            action.action_type
            for action in bulk_action_registry.get_bulk_actions_for_model(
                model._meta.app_label, model._meta.model_name
            )
        ]
        if not values:  # none for this model: the dispatcher finds nothing
            return [Door(model, url_name, kind, params, view_class, (param, "delete"))]
    elif param == "action":  # a comment's moderation actions, and a wrong one
        values = [*SINGLE_ACTIONS, "nonsense"]
    else:  # a workflow task's: ours offers "reject", Wagtail's usual "approve"
        values = ["reject", "approve"]
    return [
        Door(model, url_name, f"{kind}={value}", params, view_class, (param, value))
        for value in values
    ]


# What is stored -------------------------------------------------------------------


def make_testimonial(state, address, user):
    """A testimonial drafted from a customer's feedback, then: a "draft", or
    "awaiting" the customer, or "consented", "declined", "withdrawn"."""
    feedback = Feedback.objects.create(
        name=f"Customer {state}", email=address, body=f"Quote {state}."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, user)
    if state != "draft":
        testimonial.get_workflow().start(testimonial, user)
        request = ConsentRequest.objects.get(testimonial=testimonial)
        if state in ("consented", "withdrawn"):
            testimonial_actions.answer(request, granted=True)
        if state == "declined":
            testimonial_actions.answer(request, granted=False)
        if state == "withdrawn":
            testimonial_actions.withdraw(request)
    return Testimonial.objects.get(pk=testimonial.pk)


@pytest.fixture
def stored(admin_user):
    """Objects in every state whose pages could show an address: probe addresses
    everywhere, so a leak shows."""
    article = factories.article(factories.blog_index(), "Doors")
    address = iter(ADDRESSES)
    thread = factories.comment(article, "Thread start", author_email=next(address))
    factories.comment(
        article, "A published reply", parent=thread, author_email=next(address)
    )
    spam = factories.comment(
        article,
        "A spam reply",
        parent=thread,
        status="spam",
        author_email=next(address),
    )
    for state in ("unconfirmed", "rejected", "pending"):
        factories.comment(
            article, f"An {state} one", status=state, author_email=next(address)
        )
    comment_actions.email_author(thread, admin_user, "Hello", "A word.")

    testimonials = {
        state: make_testimonial(state, next(address), admin_user)
        for state in ("consented", "awaiting", "declined", "withdrawn", "draft")
    }
    failed = OutboxEmail.objects.order_by("pk").first()
    OutboxEmail.objects.filter(pk=failed.pk).update(
        status=OutboxEmail.Status.FAILED, last_error="550 no such user"
    )
    records.export(
        next(address), source=PersonalDataAction.Source.ADMIN, user=admin_user
    )
    settings = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    EditingSession.objects.create(
        user=admin_user,
        content_type_id=testimonials["awaiting"].get_content_type().pk,
        object_id=str(testimonials["awaiting"].pk),
        last_seen_at=failed.created_at,
    )

    # The objects each door is asked about (a door without a pk is asked once).
    objects = {
        Comment: [thread, spam],
        Testimonial: [testimonials["consented"], testimonials["awaiting"]],
        Feedback: [testimonials["consented"].feedback],
        OutboxEmail: [OutboxEmail.objects.get(pk=failed.pk)],
        PersonalDataAction: [PersonalDataAction.objects.get()],
        ModerationSettings: [settings],
    }
    return {"article": article, "objects": objects}


def fill(door, param, obj, article):
    """A real value for a path parameter of ``door`` about ``obj``."""
    model = door.model
    if param in APP_PARAMS:
        return model._meta.app_label
    if param in MODEL_PARAMS:
        return model._meta.model_name
    if param in CHOICE_PARAMS:
        return door.choice[1]
    if param == "parent_page_id":
        return article.pk
    if obj is None:
        return 0  # a model with no rows: its doors find nothing
    if param == "pk" and isinstance(obj, BaseSiteSetting):
        return obj.site_id  # a site's settings are edited under the site's id
    if param in ("pk", "object_id"):
        return obj.pk
    if param == "revision_id":
        return obj.latest_revision.pk
    if param == "revision_id_a":
        return "earliest"
    if param == "revision_id_b":
        return "latest"
    if param == "task_state_id":
        state = obj.workflow_states.order_by("-pk").first()
        return state.current_task_state_id if state else 0
    if param == "workflow_state_id":
        return obj.workflow_states.order_by("-pk").first().pk
    if param == "session_id":
        session = EditingSession.objects.filter(object_id=str(obj.pk)).first()
        return session.pk if session else 0
    pytest.fail(f"{door}: no way yet to fill in <{param}>; teach fill() about it")


def requests_for(door, stored):
    """(url, the object asked about) for each object the door can be asked about."""
    objects = stored["objects"].get(door.model, [])
    needs_object = (
        door.params - APP_PARAMS - MODEL_PARAMS - CHOICE_PARAMS - {"parent_page_id"}
    )
    if needs_object:
        asked = objects or [door.model._default_manager.first()]
    else:
        asked = [None]
    for obj in asked:
        kwargs = {
            param: fill(door, param, obj, stored["article"]) for param in door.params
        }
        ids = [("id", o.pk) for o in objects]  # bulk actions, chosen_multiple
        base = reverse(door.url_name, kwargs=kwargs)
        yield f"{base}?{urlencode(ids)}", obj
        if door.view_class and issubclass(door.view_class, SpreadsheetExportMixin):
            for export in ("csv", "xlsx"):
                yield f"{base}?{urlencode([*ids, ('export', export)])}", obj


# What a POST carries: what any of our forms would act on. (A form shown again
# shows what was typed: the address is not one of the probes.)
POST_DATA = {
    "quote": "Words nobody agreed to.",
    "customer_name": "Mallory",
    "attribution_style": "full",
    "customer_email": "typed.in@example.org",
    "body": "Written through a door.",
    "subject": "Hello",
    "message": "Written through a door.",
    "email": "typed.in@example.org",
    "action": "erase",
    "comments": "remove",
    "is_editing": "1",
}


# Checking the answers --------------------------------------------------------------

SORRY = gettext_lazy("Sorry, you do not have permission to access this area.")


def snapshot():
    """How many rows each table holds, and every moderation row as it is."""
    tables = connection.introspection.table_names()
    counts = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {connection.ops.quote_name(table)}"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(counts)
        rows = dict(cursor.fetchall())
    for model in apps.get_app_config("moderation").get_models():
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def refused(response, said):
    """Wagtail's refusal: 403, or back to the dashboard saying so."""
    return response.status_code == 403 or (
        response.status_code == 302 and said == [str(SORRY)]
    )


def turned_away(response, said):
    """Refused, not found, or the wrong method; or sent elsewhere saying nothing
    but the refusal (a message would show on the next page)."""
    return response.status_code in (403, 404, 405) or (
        response.status_code == 302 and set(said) <= {str(SORRY)}
    )


def ask(client, method, url, *, follow_redirect=False):
    """One request, undone afterwards, so that every door sees the same objects.
    Returns the response, the messages it left for the next page, its text
    (theirs included), whether it wrote anything, and with ``follow_redirect``
    the text of the page it sends to (inside the same undo)."""
    client.cookies.pop("messages", None)  # only this request's messages
    with transaction.atomic():
        before = snapshot()
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, POST_DATA)
        said = [str(message).strip() for message in get_messages(response.wsgi_request)]
        text = body(response) + "\n".join(said)
        wrote = snapshot() != before
        followed = ""
        if follow_redirect and response.status_code == 302:
            followed = body(client.get(response.url))
        transaction.set_rollback(True)
    return response, said, text, wrote, followed


# The walk -------------------------------------------------------------------------


def decided_doors():
    """Every door found, each with its rule; fails on a door nobody decided on
    (a view Wagtail or we add later), a rule for a door that is gone, or a walk
    that found suspiciously little."""
    doors = find_doors()
    keys = [door.key for door in doors]
    assert [key for key in keys if key not in RULES] == [], "decide in RULES"
    assert [key for key in DECIDED if key not in keys] == [], "stale rules"
    by_model = defaultdict(set)
    for model, kind in keys:
        by_model[model].add(kind)
    assert {"choose", "chosen", "delete", "history"} <= by_model["comment"]
    assert {"choose", "chosen", "revisions_compare", "unpublish"} <= by_model[
        "testimonial"
    ]
    assert len(doors) > 150
    return doors


@pytest.mark.parametrize("role", ROLES)
def test_each_door_answers_only_to_whom_its_rule_says_and_never_shows_an_address(
    role, django_user_model, stored
):
    user = user_for(role, django_user_model)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.get("/admin/")  # the user's admin profile is made once, here
    doors = decided_doors()

    results, wrong, writes, leaks, errors = {}, [], [], [], []
    opened = defaultdict(bool)
    for door in doors:
        allowed = role in RULES[door.key]
        for (url, obj), method in itertools.product(
            requests_for(door, stored), ("get", "post")
        ):
            reveal = door.kind in REVEALS and allowed and method == "post"
            response, said, text, wrote, followed = ask(
                client, method, url, follow_redirect=reveal
            )
            where = f"{method.upper()} {url} {door.key}"
            results[where] = response.status_code
            if response.status_code >= 500:
                errors.append(where)
            if allowed:
                # It may still refuse one object (a task that offers no such
                # action, a locked testimonial): it must answer at least one.
                opened[door.key] |= response.status_code < 400 and not refused(
                    response, said
                )
            else:
                if not turned_away(response, said):
                    wrong.append(f"{where}: answered ({response.status_code}) {said}")
                if wrote:
                    writes.append(where)
            hits = probe_hits(text, PROBES)
            if hits:
                leaks.append(f"{where}: {sorted({hit[0] for hit in hits})}")
            if reveal:
                # The one door that shows an address: it does, so the probes work.
                assert obj is not None and probe_hits(followed, PROBES), where

    never_opened = [
        key
        for key in {door.key for door in doors}
        if role in RULES[key] and not opened[key]
    ]
    problems = {
        "server errors": errors,
        "wrong answers": wrong,
        "writes by the refused": writes,
        "addresses shown": leaks,
        "doors that never opened to whom they should": never_opened,
    }
    assert {name: found for name, found in problems.items() if found} == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(map(str, found))
        for name, found in problems.items()
        if found
    )
    assert len(results) > 300


# Deleting goes through the moderation actions ----------------------------------------


def test_wagtails_delete_view_removes_a_comment_through_the_moderation_action(
    client, django_user_model
):
    article = factories.article(factories.blog_index(), "Thread")
    answered = factories.comment(article, "Somebody answered")
    factories.comment(article, "The answer", parent=answered)
    lonely = factories.comment(article, "Nobody answered")
    moderator = user_for("moderator", django_user_model)
    client.force_login(moderator)

    confirm = client.get(f"/admin/moderation/comments/delete/{answered.pk}/")
    for comment in (answered, lonely):
        client.post(f"/admin/moderation/comments/delete/{comment.pk}/")

    assert confirm.status_code == 200
    page = Client().get(article.url).content.decode()  # what readers see
    assert "The answer" in page and "Somebody answered" not in page
    answered.refresh_from_db()
    assert (answered.status, answered.body) == (Comment.Status.DELETED, "")
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    counts = PageCommentCounts.objects.get(page=article)
    assert (counts.published, counts.threads) == (1, 1)  # the answer; its thread
    removals = ModelLogEntry.objects.filter(action="moderation.comment.remove")
    assert sorted(removals.values_list("object_id", flat=True)) == sorted(
        [str(answered.pk), str(lonely.pk)]
    )
    assert {entry.user for entry in removals} == {moderator}
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()


def test_a_testimonial_kept_as_evidence_is_not_deleted_and_the_editor_is_told_why(
    client, django_user_model, admin_user
):
    declined = make_testimonial("declined", "dee@example.com", admin_user)
    draft = make_testimonial("draft", "dan@example.com", admin_user)
    client.force_login(user_for("testimonial editor", django_user_model))

    single = client.post(
        f"/admin/moderation/testimonials/delete/{declined.pk}/", follow=True
    )
    bulk_url = (
        f"/admin/bulk/moderation/testimonial/delete/?id={declined.pk}&id={draft.pk}"
    )
    confirm = client.get(bulk_url).content.decode()
    client.post(bulk_url)

    assert "cannot be deleted. Unpublish it instead." in single.content.decode()
    assert "cannot be deleted" in confirm and "Quote declined." in confirm
    assert list(Testimonial.objects.all()) == [declined]
    assert declined.consent_records.count() == 1


# The testimonial block's chooser ---------------------------------------------------

CHOOSER = "/admin/snippets/choose/moderation/testimonial/"


def article_form(article, testimonial):
    """The article's edit form as the admin sends it, with one testimonial block."""
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": article.date.isoformat(),
            "author_name": article.author_name,
            "tags": "",
            "intro": article.intro,
            "listing_image": "",
            "body": streamfield([("testimonial", {"testimonial": testimonial.pk})]),
            "comments_open": "on",
            "comments": inline_formset([]),
        }
    )


def test_a_writer_who_may_see_testimonials_chooses_one_the_site_can_show(
    client, django_user_model, admin_user
):
    article = factories.article(factories.blog_index(), "With a quote")
    consented = make_testimonial("consented", "cora@example.com", admin_user)
    awaiting = make_testimonial("awaiting", "abe@example.com", admin_user)
    writer = make_user(
        django_user_model,
        "writer",
        Permission.objects.filter(codename="view_testimonial"),
        group="Editors",
    )
    client.force_login(writer)
    edit = f"/admin/pages/{article.pk}/edit/"

    assert CHOOSER in client.get(edit).content.decode()  # the block's widget
    listed = client.get(CHOOSER).json()["html"]
    chosen = client.get(f"{CHOOSER}chosen/{consented.pk}/").json()["result"]
    not_offered = client.get(f"{CHOOSER}chosen/{awaiting.pk}/")
    saved = client.post(edit, article_form(article, consented))

    assert "Quote consented." in listed and "Quote awaiting." not in listed
    assert (chosen["id"], chosen["string"]) == (str(consented.pk), str(consented))
    assert not_offered.status_code == 404
    assert (saved.status_code, saved.url) == (302, edit)
    assert chosen_in_draft(article) == [consented]


def chosen_in_draft(article):
    article.refresh_from_db()
    draft = article.get_latest_revision_as_object()
    return [block.value["testimonial"] for block in draft.body]


def test_a_writer_without_a_testimonial_permission_keeps_the_block_but_cannot_choose(
    client, django_user_model, admin_user
):
    consented = make_testimonial("consented", "cora@example.com", admin_user)
    make_testimonial("declined", "dee@example.com", admin_user)
    article = factories.article(
        factories.blog_index(),
        "With a quote",
        body=[{"type": "testimonial", "value": {"testimonial": consented.pk}}],
    )
    client.force_login(make_user(django_user_model, "writer", group="Editors"))
    edit = f"/admin/pages/{article.pk}/edit/"

    refused = [
        client.get(url)
        for url in (
            CHOOSER,
            f"{CHOOSER}results/?q=Quote",
            f"{CHOOSER}chosen/{consented.pk}/",
        )
    ]
    saved = client.post(edit, article_form(article, consented))

    assert [(r.status_code, r.url) for r in refused] == [(302, "/admin/")] * 3
    assert (saved.status_code, saved.url) == (302, edit)
    assert chosen_in_draft(article) == [consented]
