from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("new/", views.subscribe, name="subscribe"),
    path("new/sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
