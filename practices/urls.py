from django.urls import path

from practices.views import public

app_name = "practices"

urlpatterns = [
    path("", public.home, name="home"),
    path("practices/<slug:slug>/", public.practice_detail, name="detail"),
    path("themes/<slug:slug>/", public.theme_detail, name="theme"),
]
