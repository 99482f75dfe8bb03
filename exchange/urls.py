from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<str:token>/", views.import_preview, name="preview"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("plans/<int:pk>/plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/plan.json", views.plan_json, name="plan_json"),
    path("rounds/<int:pk>/returns.xlsx", views.round_xlsx, name="round_xlsx"),
    path("rounds/<int:pk>/returns.json", views.round_json, name="round_json"),
    path("rounds/<int:pk>/import/", views.round_import_start, name="round_import"),
    path("rounds/<int:pk>/import/<str:token>/", views.round_import_preview_page, name="round_import_preview"),
]
