from django.urls import path

from practices.feeds import PracticeFeed
from practices.views import public

app_name = "practices"

urlpatterns = [
    path("", public.home, name="home"),
    path("practices/", public.practice_list, name="list"),
    path("practices/feed/", PracticeFeed(), name="feed"),
    path("practices/<slug:slug>/", public.practice_detail, name="detail"),
    path("themes/", public.theme_list, name="themes"),
    path("themes/<slug:slug>/", public.theme_detail, name="theme"),
]
