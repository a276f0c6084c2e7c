"""Comments on any Wagtail page type with ``CommentsMixin``, while its
``comments_open`` is ticked.

models (Comment, VerifiedEmail), forms (the signed public form), actions (every
state change), views and urls (public endpoints), notices (the emails).
"""
