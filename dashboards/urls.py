from django.urls import path

from dashboards import programme_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/", views.dashboard, name="round"),
    path("rounds/<int:pk>/divisions/<int:unit_pk>/", views.division, name="division"),
    path("rounds/<int:pk>/compare/<int:other_pk>/", views.comparison, name="compare"),
    path("rounds/<int:pk>/exceptions/", views.exceptions, name="exceptions"),
    path("programmes/<int:pk>/", programme_views.programme, name="programme"),
]
