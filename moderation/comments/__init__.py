"""Comments on any Wagtail page whose ``comments_open`` is true.

models (Comment, VerifiedEmail), forms (the signed public form), actions (every
state change), views and urls (public endpoints), notices (the emails).
"""
