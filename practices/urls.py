from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("", views.home, name="home"),
    path("practices/<slug:slug>/", views.practice_detail, name="detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
]
