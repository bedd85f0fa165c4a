from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.stakeholder_list, name="list"),
    path("<slug:slug>/", views.stakeholder_detail, name="detail"),
]
