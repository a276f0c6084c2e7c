"""Post comments the way a browser does: read the rendered form, fill it in."""

import re

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def form_fields(html):
    form = html[html.index('id="comment-form"') :]
    form = form[: form.index("</form>")]
    return dict(HIDDEN.findall(form))


def post_comment(client, target, *, reply_to=None, remote_addr="127.0.0.1", **fields):
    """POST the comment form of page ``target``; ``fields`` override what a person types."""
    url = target.url + (f"?reply={reply_to.pk}" if reply_to else "")
    data = form_fields(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(
        {"name": "Nina Reader", "email": "nina@example.com", "body": "Lovely article."}
    )
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/comments/post/", data, REMOTE_ADDR=remote_addr)


def press_confirm(client, path, **options):
    """Open a confirmation link, as a mail scanner would too, then press its
    button, as only the commenter does."""
    shown = client.get(path)
    assert shown.status_code == 200, shown.status_code
    assert "Confirm my comment" in shown.content.decode()
    return client.post(path, **options)
