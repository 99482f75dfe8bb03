from django.urls import path

from plans import editing, programme_links, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sections/<str:code>/", views.plan_section, name="section"),
    path("<int:pk>/tables/<slug:kind>/", views.plan_table, name="table"),
    path("<int:pk>/workflow/<slug:step>/", views.plan_transition, name="transition"),
    path("<int:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/history/", views.plan_history_view, name="history"),
    path("<int:pk>/checks/", views.plan_checks, name="checks"),
    path("<int:pk>/projects/<int:row_id>/actions/", programme_links.delivering_actions, name="delivering_actions"),
    # Editing pages (plans/editing.py)
    path("<int:pk>/edit/", editing.edit_overview, name="edit"),
    path("<int:pk>/edit/details/", editing.edit_header, name="edit_header"),
    path("<int:pk>/edit/section/<str:code>/", editing.edit_section, name="edit_section"),
    path("<int:pk>/edit/priorities/<int:priority_id>/", editing.edit_priority, name="edit_priority"),
    path("<int:pk>/edit/priorities/<int:priority_id>/<slug:kind>/add/", editing.row_add, name="row_add_in_priority"),
    path("<int:pk>/edit/tables/<int:table_id>/add/", editing.table_row_add, name="table_row_add"),
    path("<int:pk>/edit/table-row/<int:row_id>/", editing.table_row_edit, name="table_row_edit"),
    path("<int:pk>/edit/<slug:kind>/add/", editing.row_add, name="row_add"),
    path("<int:pk>/edit/<slug:kind>/<int:row_id>/", editing.row_edit, name="row_edit"),
    path("<int:pk>/edit/<slug:kind>/<int:row_id>/remove/", editing.row_remove, name="row_remove"),
    path("<int:pk>/edit/<slug:kind>/<int:row_id>/move/<str:direction>/", editing.row_move, name="row_move"),
]
