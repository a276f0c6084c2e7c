"""Comments on any Wagtail page type with ``CommentsMixin``, while its
``comments_open`` is ticked.

models (Comment, VerifiedEmail, the page counts), forms (the signed public form),
actions (every state change), views and feeds (public endpoints), visitors (the
browser's own comments, the pages that take comments), listing (threads on a
page), notices and digest (the emails), admin_views, bulk_actions and dashboard.
"""
