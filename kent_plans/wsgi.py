"""The WSGI application, as gunicorn serves it (scripts/serve-production.sh)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent_plans.settings")

application = get_wsgi_application()

# What is loaded at start-up (Django, the apps, the URL patterns) stays for the life of the process:
# moved out of the garbage collector's sight, it is not walked again by every full collection, which
# otherwise pauses a request now and then for 50-200 ms (docs/benchmarks.md).
from kent_plans import urls  # noqa: E402, F401  (loaded now rather than at the first request)

gc.collect()
gc.freeze()
