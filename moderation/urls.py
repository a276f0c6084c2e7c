"""The app's public URLs, one include for the host, before Wagtail's own::

path("", include("moderation.urls")),
path("", include(wagtail_urls)),
"""

from django.urls import include, path

from .comments import views
from .comments.feeds import PageCommentsFeed
from .personal_data import views as personal_data_views
from .testimonials import views as testimonial_views

app_name = "moderation"

comment_patterns = [
    path(
        "permission/<str:token>/", testimonial_views.answer, name="testimonial_answer"
    ),
    path(
        "withdraw/<str:token>/", testimonial_views.withdraw, name="testimonial_withdraw"
    ),
    path("post/", views.post_comment, name="comment_post"),
    path("confirm/<str:token>/", views.confirm, name="comment_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="comment_unsubscribe"),
    path("<int:pk>/manage/", views.manage, name="comment_manage"),
    path("pages/<int:page_id>/feed/", PageCommentsFeed(), name="comments_feed"),
    path(
        "pages/<int:page_id>/comments.json", views.comments_json, name="comments_json"
    ),
]

urlpatterns = [
    path("comments/", include(comment_patterns)),
    path("your-data/", personal_data_views.ask, name="personal_data_ask"),
    path(
        "your-data/<str:token>/",
        personal_data_views.manage,
        name="personal_data_manage",
    ),
]
