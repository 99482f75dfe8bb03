from django.urls import path

from documents import kpi, report_views, views

app_name = "documents"

urlpatterns = [
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("kpi/<int:unit_pk>/print/", kpi.kpi_print, name="kpi_print"),
    path("kpi/<int:unit_pk>/pdf/", kpi.kpi_pdf, name="kpi_pdf"),
    path("rounds/<int:pk>/committee-report/print/", report_views.committee_report_print, name="committee_report_print"),
    path("rounds/<int:pk>/committee-report/pdf/", report_views.committee_report_pdf, name="committee_report_pdf"),
]
