from django.urls import path

from performance import views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("units/<int:unit_pk>/actuals/", views.actuals_entry, name="entry"),
]
