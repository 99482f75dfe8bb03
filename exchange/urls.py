from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<str:token>/", views.import_preview, name="preview"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("plans/<int:pk>/plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/plan.json", views.plan_json, name="plan_json"),
]
