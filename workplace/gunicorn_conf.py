"""gunicorn's configuration for the web processes (``gunicorn -c python:workplace.gunicorn_conf``).

The number of processes comes from the settings, which refuse more than one without
REDIS_URL (the in-memory channel layer cannot cross processes); docs/deployment.md
describes the whole shape. The address is given on the command line (``-b``).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplace.settings")

from django.conf import settings

workers = settings.WEB_WORKERS
worker_class = "workplace.serving.WebWorker"
# Longer than a proxy's idle upstream connections (nginx keeps them 60 s), so that the
# proxy, not we, closes an idle keep-alive connection and never sends on a closed one.
keepalive = 75
# A worker that has not told the master it is alive for this long is restarted.
timeout = 30
# On SIGTERM, requests in flight get this long; open WebSockets are then closed (1012)
# and the browsers reconnect to the next process.
graceful_timeout = 20
# gunicorn 27's control socket is one path per user: several masters on one machine (two
# instances, the tests' servers) would take it from each other, and nothing uses it.
control_socket_disable = True
# Access lines come from the proxy; errors and worker restarts go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker) -> None:
    # Without Redis the jobs run in the web process (workplace/jobs.py says why).
    from workplace import jobs

    jobs.start_in_web_process()


def worker_exit(server, worker) -> None:
    from workplace import jobs

    jobs.stop_in_web_process()
