from django.urls import path

from . import views

app_name = "personal_data"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("<str:token>/", views.manage, name="manage"),
]
