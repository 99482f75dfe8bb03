from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans.views import home

admin.site.site_header = "Kent Plans administration"
admin.site.site_title = "Kent Plans"

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("plans.urls")),
    path("plans/<int:pk>/budget/", include("budgets.urls")),
    path("documents/", include("documents.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("performance/", include("performance.urls")),
    path("exchange/", include("exchange.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
]
