"""gunicorn settings for Newsroom: `gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS, or the variables below).
App servers share nothing in memory, so run as many of them as the database can serve.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the views are short database reads; scale with processes and machines.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# X-Forwarded-* is trusted only from these addresses (the load balancer / Varnish).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# newsroom/wsgi.py defaults DJANGO_SETTINGS_MODULE to newsroom.settings.production.
