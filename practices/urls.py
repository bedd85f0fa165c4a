from django.urls import path

from practices import pdf, views
from practices.feeds import PracticeFeed

app_name = "practices"

urlpatterns = [
    path("", views.home, name="home"),
    path("practices/", views.practice_list, name="list"),
    path("practices/feed/", PracticeFeed(), name="feed"),
    # Not practices/pdf/: that is the page of a practice whose slug is "pdf".
    path("practices.pdf", pdf.list_pdf, name="list_pdf"),
    path("practices/<slug:slug>/", views.practice_detail, name="detail"),
    path("practices/<slug:slug>/pdf/", pdf.practice_pdf, name="pdf"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
]
