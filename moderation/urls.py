from django.urls import path

from .comments import views
from .comments.feeds import PageCommentsFeed
from .testimonials import views as testimonial_views

app_name = "moderation"

urlpatterns = [
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
