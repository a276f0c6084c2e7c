"""Build the demo site: a blog with articles, pictures made here, and an admin login.

Safe to run again: what exists is left as it is (bakerydemo's ``load_initial_data``
is the model, but this builds pages in code instead of loading a fixture).
"""

import datetime
import io
import os
import random
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page, Site

from blog import demo_content
from blog.models import ArticlePage, BlogIndexPage, InfoPage
from moderation.comments import actions
from moderation.comments.models import Comment
from moderation.emails import send_templated_email
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.personal_data import records
from moderation.sanitize import sanitize
from moderation.settings import ModerationSettings
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.models import Feedback

DEFAULT_ADMIN_PASSWORD = "vouch-demo-admin"


class Command(BaseCommand):
    help = "Create the demo site (articles, images, an admin user). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000")
        )

    @transaction.atomic
    def handle(self, *args, **options):
        url = options["url"].rstrip("/")
        index = self.ensure_index(url)
        for number, article in enumerate(demo_content.ARTICLES):
            self.ensure_article(index, article, number)
        self.ensure_privacy_page(index)
        password = self.ensure_admin(url)
        self.ensure_comments(
            ArticlePage.objects.get(slug=demo_content.ARTICLES[0]["slug"])
        )
        self.ensure_testimonials(index)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo site ready: open {url}/ — admin at {url}/admin/ "
                f"(user “admin”, password “{password}”; moderator “moira”, same password)."
            )
        )

    def ensure_index(self, url):
        index = BlogIndexPage.objects.filter(depth=2).first()
        if index:
            return index
        root = Page.get_first_root_node()
        index = root.add_child(
            instance=BlogIndexPage(
                title=demo_content.INDEX_TITLE,
                slug="journal",
                intro=demo_content.INDEX_INTRO,
            )
        )
        index.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(
            is_default_site=True
        )
        old_root_id = site.root_page_id
        # Links in emails use the site's address: make it the one the demo runs on.
        address = urlsplit(url)
        site.hostname, site.port = address.hostname, address.port or 80
        site.site_name, site.root_page = demo_content.SITE_NAME, index
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page is not part of the demo.
        if old_root_id and old_root_id != index.pk:
            Page.objects.filter(pk=old_root_id, depth=2).exclude(pk=index.pk).delete()
        return index

    def ensure_article(self, index, data, number):
        if ArticlePage.objects.filter(slug=data["slug"]).exists():
            return
        image = make_image(data["title"], data["palette"], seed=number)
        detail = make_image(
            f"{data['title']} (detail)", data["palette"][::-1], seed=number + 50
        )
        body = []
        for position, (heading, paragraphs) in enumerate(data["sections"]):
            body.append({"type": "heading", "value": {"text": heading, "level": "h2"}})
            body += [
                {"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs
            ]
            if position == 0:
                text, attribution = data["quote"]
                body.append(
                    {
                        "type": "quote",
                        "value": {"text": text, "attribution": attribution},
                    }
                )
        body.append(
            {
                "type": "image",
                "value": {
                    "image": detail.pk,
                    "alt_text": "",
                    "caption": data["caption"],
                },
            }
        )
        article = ArticlePage(
            title=data["title"],
            slug=data["slug"],
            date=demo_content.article_date(data["days_ago"]),
            author_name=data["author"],
            intro=data["intro"],
            listing_image=image,
            body=body,
        )
        index.add_child(instance=article)
        article.tags.add(*data["tags"])
        article.save_revision().publish()

    def ensure_privacy_page(self, index):
        page = InfoPage.objects.filter(slug="privacy").first()
        if page is None:
            page = index.add_child(
                instance=InfoPage(
                    title=demo_content.PRIVACY_TITLE,
                    slug="privacy",
                    body=demo_content.PRIVACY_BODY,
                )
            )
            page.save_revision().publish()
        settings = ModerationSettings.for_site(index.get_site())
        if settings.privacy_page_id is None:
            settings.privacy_page = page
            settings.auto_approve_after = 3
            settings.blocked_words = "best pans cheap\ncasino"
            settings.blocked_domains = "spam.example"
            settings.save()

    def ensure_comments(self, article):
        """Comments in every state, through the same actions the site uses."""
        if Comment.objects.filter(page=article).exists():
            return
        User = get_user_model()
        reader, created = User.objects.get_or_create(
            username="maya_reads", defaults={"email": "maya@example.com"}
        )
        if created:
            reader.set_unusable_password()
            reader.save()
        admin = User.objects.get(username="admin")
        made = []
        for number, data in enumerate(demo_content.COMMENTS):
            parent = made[data["reply_to"]] if "reply_to" in data else None
            user = admin if data.get("staff") else None
            if "user" in data:
                user = User.objects.get(username=data["user"])
            comment = Comment.objects.create(
                page=article,
                parent=parent,
                thread=(parent.thread or parent) if parent else None,
                depth=parent.depth + 1 if parent else 0,
                user=user,
                author_name=user.get_username() if user else data["name"],
                author_email=user.email if user else data["email"],
                body=data["body"],
                body_html=sanitize(data["body"]),
                by_staff=bool(data.get("staff")),
                status=Comment.Status.PENDING,
                ip_network="203.0.113.0/24",
                created_at=timezone.now() - datetime.timedelta(hours=48 - 4 * number),
            )
            status = data["status"]
            if status == "approved":
                actions.approve(comment, admin)
            elif status == "rejected":
                actions.reject(comment, admin)
            elif status == "spam":
                actions.mark_spam(comment, admin)
            elif status == "unconfirmed":
                Comment.objects.filter(pk=comment.pk).update(status=status)
            made.append(comment)
        # Deleted last, so the reply to it is already published under the placeholder.
        for comment, data in zip(made, demo_content.COMMENTS, strict=True):
            if data["status"] == "deleted":
                actions.approve(comment, admin)
                actions.delete_by_author(comment)
            elif data["status"] == "erased":
                actions.approve(comment, admin)
                records.erase(
                    data["email"],
                    comments=records.CommentChoice.KEEP,
                    source=records.PersonalDataAction.Source.ADMIN,
                    user=admin,
                )

    def ensure_testimonials(self, index):
        """A feedback page, a testimonials page, and testimonials in every
        permission state, made through the same actions the site uses."""
        if FeedbackPage.objects.exists():
            return
        feedback_page = index.add_child(
            instance=FeedbackPage(
                title="Tell us what you think",
                slug="feedback",
                show_in_menus=True,  # the header links it
                intro="<p>Good or bad, we read every message.</p>",
            )
        )
        feedback_page.save_revision().publish()
        testimonials_page = index.add_child(
            instance=TestimonialsPage(
                title="What our customers say",
                slug="testimonials",
                show_in_menus=True,
                intro="<p>Published with each customer's permission.</p>",
            )
        )
        testimonials_page.save_revision().publish()
        admin = get_user_model().objects.get(username="admin")
        for data in demo_content.FEEDBACK:
            feedback = Feedback.objects.create(
                page=feedback_page,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                rating=data["rating"],
            )
            if data["state"] is None:
                continue
            testimonial = testimonial_actions.draft_from_feedback(feedback, admin)
            if data["state"] == "draft":
                continue
            testimonial.get_workflow().start(testimonial, admin)
            request = testimonial.consent_requests.get()
            if data["state"] in ("granted", "withdrawn"):
                testimonial_actions.answer(request, granted=True, method="demo")
            if data["state"] == "granted":
                index.featured = [
                    {"type": "testimonial", "value": {"testimonial": testimonial.pk}}
                ]
                index.save_revision().publish()
            if data["state"] == "withdrawn":
                testimonial_actions.withdraw(request, method="demo")
            elif data["state"] == "declined":
                testimonial_actions.answer(request, granted=False, method="demo")
            elif data["state"] == "expired":
                testimonial_actions.expire(request)

    def ensure_admin(self, site_url):
        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
        if not User.objects.filter(username="moira").exists():
            moderator = User.objects.create_user(
                "moira",
                "moira@example.com",
                password,
                first_name="Moira",
                last_name="Mod",
            )
            moderator.groups.add(Group.objects.get(name="Comment moderators"))
        if not User.objects.filter(username="admin").exists():
            admin = User.objects.create_superuser(
                "admin", "admin@example.com", password
            )
            # Shows the outbox at work: delivered by the worker after this commits.
            send_templated_email(
                "blog/emails/demo_welcome",
                to=admin.email,
                subject=_("Your Vouch demo is ready"),
                context={"username": admin.username, "site_url": site_url},
            )
        return password


def make_image(title, palette, seed):
    """An abstract picture in the article's colours, drawn here (no downloads)."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 1200, 750
    dark, light = palette
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(
                int(d + (b - d) * mix) for d, b in zip(dark, light, strict=True)
            ),
        )
    rng = random.Random(seed)
    for _circle in range(9):
        radius = rng.randint(60, 260)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tint = tuple(min(255, c + rng.randint(10, 60)) for c in light)
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], outline=tint, width=6
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"demo-{seed}.png")
    )
