"""The contact form of a practice (public), the messages in the review area, and the
organisations' contact addresses in the workspace."""

from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("practices/<slug:slug>/contact/", views.contact_form, name="form"),
    path("review/contact-requests/", views.request_list, name="requests"),
    path("review/contact-requests/<int:pk>/", views.request_detail, name="request"),
    path(
        "workspace/organisations/<slug:slug>/contact-address/",
        views.contact_address,
        name="address",
    ),
]
