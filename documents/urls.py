from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
]
