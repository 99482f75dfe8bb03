"""Budget pages of a plan, under /plans/<pk>/budget/ (kent_plans/urls.py)."""

from django.urls import path

from budgets import views

app_name = "budgets"

urlpatterns = [
    path("", views.budget_grid, name="grid"),
    path("copy/", views.budget_copy, name="copy"),
    path("human-resources/", views.human_resources, name="human_resources"),
]
