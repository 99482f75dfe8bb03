"""The authentication backend that signs users in and loads them on each request.

- Django's model permissions (auth_permission rows given to users and groups) matter only in the
  admin, which lets in staff alone; the app's own permissions are rules (accounts/permissions.py,
  rules' ObjectPermissionBackend). For anyone else, ModelBackend would still spend two queries per
  request on every permission the rules refuse, only to find none: here the answer is "none" at once.
- Loading the signed-in user on each request reads their memberships in the same query (a join), so
  the permission checks of the page (accounts/permissions.py, _reach) need no query of their own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.permissions import membership_columns


class StaffModelBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_group_permissions(user_obj, obj)

    def get_user(self, user_id):
        """The user with their membership rows: one query, one row per membership (and predecessor)."""
        model = get_user_model()
        names = [field.attname for field in model._meta.concrete_fields]
        try:
            rows = list(
                model._default_manager.filter(pk=user_id).values_list(*names, *membership_columns("memberships__"))
            )
        except (ValueError, TypeError):  # a malformed id in the session, as ModelBackend treats a missing user
            return None
        if not rows:
            return None
        user = model.from_db(model._default_manager.db, names, rows[0][: len(names)])
        # A user without memberships comes back as one row whose membership columns are all empty.
        user._kent_membership_rows = [row[len(names) :] for row in rows if row[len(names)] is not None]
        return user if self.user_can_authenticate(user) else None
