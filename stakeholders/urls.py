from django.urls import path

from stakeholders.views import public

app_name = "stakeholders"

urlpatterns = [
    path("", public.stakeholder_list, name="list"),
    path("<slug:slug>/", public.stakeholder_detail, name="detail"),
]
