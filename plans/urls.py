from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/workflow/<slug:step>/", views.plan_transition, name="transition"),
    path("<int:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/history/", views.plan_history_view, name="history"),
]
