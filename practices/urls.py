from django.urls import path

from practices import views
from practices.feeds import PracticeFeed

app_name = "practices"

urlpatterns = [
    path("", views.home, name="home"),
    path("practices/", views.practice_list, name="list"),
    path("practices/feed/", PracticeFeed(), name="feed"),
    path("practices/<slug:slug>/", views.practice_detail, name="detail"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
]
