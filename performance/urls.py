from django.urls import path

from performance import kpi_views, views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/targets/<int:year>/", views.targets_edit, name="targets"),
    path("units/<int:unit_pk>/actuals/", views.actuals_entry, name="entry"),
    path("kpi/", kpi_views.kpi_index, name="kpi_index"),
    path("kpi/<int:unit_pk>/", kpi_views.kpi_detail, name="kpi"),
]
