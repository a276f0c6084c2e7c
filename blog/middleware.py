"""Site-wide response handling."""

from moderation.sanitize import NOT_IN_HTML, replace_what_html_cannot_carry


class ReplaceCharactersHtmlCannotCarry:
    """A page that repeats what someone typed (a search, a tag, a form value)
    may repeat a control character, which HTML cannot carry: send U+FFFD in its
    place, as a browser would show a NUL, so every page is valid HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        charset = response.charset or "utf-8"
        text = response.content.decode(charset, errors="replace")
        if NOT_IN_HTML.search(text):
            response.content = replace_what_html_cannot_carry(text).encode(charset)
        return response
