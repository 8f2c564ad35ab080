"""A small Flask + sqlite app for the multi-process server benchmarks
(bench/bench_native_server.py): run it under gunicorn, drive it with ab.

GET / renders a page from a sqlite query and a bit of Python work (json, a
sort, string formatting), so each request spends its time in Python, in the
C code of sqlite3 / json and in the kernel, as real web handlers do.
Usage: gunicorn -w 2 --threads 4 --chdir tests/workloads flask_app:app
"""
import json
import sqlite3
import threading

from flask import Flask

app = Flask(__name__)
local = threading.local()


def db():
    """One in-memory database per thread (sqlite connections are per thread)."""
    if not hasattr(local, "db"):
        c = sqlite3.connect(":memory:")
        c.execute("create table item (id integer primary key, name text, price real)")
        c.executemany("insert into item (name, price) values (?, ?)",
                      (("item%d" % i, i * 1.25) for i in range(2000)))
        local.db = c
    return local.db


def render(rows):
    items = sorted(({"name": n, "price": p} for n, p in rows), key=lambda r: -r["price"])
    body = "".join("<li>%s: %.2f</li>" % (r["name"], r["price"]) for r in items[:50])
    return "<ul>%s</ul><pre>%s</pre>" % (body, json.dumps(items[:20]))


@app.route("/")
def index():
    rows = db().execute("select name, price from item where price > ? order by name",
                        (100.0,)).fetchall()
    return render(rows)
