import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
# What is loaded by now (Django, the apps, the URL conf) lives as long as the worker:
# moved out of the collector's reach, it is not walked again by every full collection
# (measured 70-190 ms each under batch ingest, about a third with the freeze).
gc.freeze()
