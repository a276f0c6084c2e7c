"""Build the demo site: a blog with articles, pictures made here, and an admin login.

Safe to run again: what exists is left as it is (bakerydemo's ``load_initial_data``
is the model, but this builds pages in code instead of loading a fixture).
"""

import io
import os
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page, Site

from blog import demo_content
from blog.models import ArticlePage, BlogIndexPage
from moderation.emails import send_templated_email

DEFAULT_ADMIN_PASSWORD = "vouch-demo-admin"


class Command(BaseCommand):
    help = "Create the demo site (articles, images, an admin user). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000")
        )

    @transaction.atomic
    def handle(self, *args, **options):
        index = self.ensure_index()
        for number, article in enumerate(demo_content.ARTICLES):
            self.ensure_article(index, article, number)
        url = options["url"].rstrip("/")
        password = self.ensure_admin(url)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo site ready: open {url}/ — admin at {url}/admin/ "
                f"(user “admin”, password “{password}”)."
            )
        )

    def ensure_index(self):
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
        site.hostname, site.port = "localhost", 80
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

    def ensure_admin(self, site_url):
        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
        if not User.objects.filter(username="admin").exists():
            admin = User.objects.create_superuser(
                "admin", "admin@example.com", password
            )
            # Shows the outbox at work: delivered by the worker after this commits.
            send_templated_email(
                "demo_welcome",
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
