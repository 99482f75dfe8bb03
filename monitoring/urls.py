from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("open/", views.round_open, name="open"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/plans/<int:plan_pk>/", views.return_page, name="return"),
    path("plans/<int:plan_pk>/", views.plan_rounds, name="plan_rounds"),
]
