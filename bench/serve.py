"""`anquan runserver` with Nagle's algorithm off on accepted connections; bench/search.py starts it.

Django's development server (wsgiref) writes the response head and body in two small writes.
With Nagle on, the body waits for the client's delayed ACK of the head: ~40 ms per keep-alive
request on Linux, which would swamp what the benchmark measures. Front ends (nginx's
`tcp_nodelay on`, asyncio servers) set TCP_NODELAY, so the benchmark does too.

    .venv/bin/python bench/serve.py runserver --noreload 127.0.0.1:8000
"""

import os
import sys

from django.core.management import execute_from_command_line
from django.core.servers.basehttp import WSGIRequestHandler

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anquan.settings")
    WSGIRequestHandler.disable_nagle_algorithm = True  # socketserver sets TCP_NODELAY in setup()
    execute_from_command_line(["anquan", *sys.argv[1:]])
