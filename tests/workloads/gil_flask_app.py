"""A small Flask app for the GIL on a busy server (tests/e2e/test_gil_server.py).

Run by Debian's gunicorn: gunicorn -w 2 --threads 4 --chdir tests/workloads
gil_flask_app:app. Each request renders a page from a pure-Python loop and a
JSON dump, so that a worker's threads compete for its GIL; /ping answers at
once (readiness).
"""
import json

from flask import Flask

app = Flask(__name__)


def render(n):
    rows = []
    for i in range(n):
        rows.append({"id": i, "name": "item%d" % i, "score": (i * 7919) % 1000 / 10.0})
    return json.dumps(rows)


@app.route("/")
def index():
    return render(300)


@app.route("/ping")
def ping():
    return "ok"
