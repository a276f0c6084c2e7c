import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image


def make_test_image(title="Test image"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 100, 50)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="test.png"))
