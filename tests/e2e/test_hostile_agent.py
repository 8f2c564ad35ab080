#!/usr/bin/env python3
"""`pystrobe agent` against hostile clients, backends and local users.

The main loop must stay on time: eight /metrics clients sending one byte
every 90 ms while a scrape runs (the scrape answers within 0.5 s, the period
flush stays within 1 s of its time); a backend that accepts and never
answers (periods flushed on time, spooled). The push: 5xx retried with an
exponential backoff (intervals measured, capped, visible in /metrics); 4xx
and a wrong token (401) dropped and counted, never retried; a self-signed
TLS endpoint refused unless ca-file names its certificate. The spool and
the secrets: a spool directory owned by `nobody` (who planted a link to a
root-only file in it) or world-writable is refused; a link left in a root
spool is skipped and counted, never pushed; a token file owned by another
user or longer than the buffer is refused; a token over http:// is warned
about. A SIGHUP with a broken config (bad syntax, a directory that cannot
be made) keeps the old one and never spools into `/`. A PYSTROBE_SERVICE
with a `/` gets a safe file name and a message. The directory cap is
reached: oldest files deleted first, the size bounded."""
import collections
import contextlib
import glob
import hashlib
import http.server
import os
import pwd
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import pslib
from pslib import free_port
from test_agent import metrics

FREQ = 49
SECRET = b"TOPSECRET-0123456789"
NOBODY = pwd.getpwnam("nobody").pw_uid


class Receiver:
    """An ingest endpoint answering status(headers) (200 by default); records every POST."""

    def __init__(self, status=None, tls=None):
        self.port, self.posts, self.lock = free_port(), [], threading.Lock()
        self.status = status or (lambda headers: 200)
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                code = outer.status(self.headers)
                with outer.lock:
                    outer.posts.append((time.time(), self.path, dict(self.headers), body, code))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        class S(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client refusing our certificate is the point of a test

        self.srv = S(("127.0.0.1", self.port), H)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.srv.socket = ctx.wrap_socket(self.srv.socket, server_side=True)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.lock:
            return list(self.posts)

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


class Silent:
    """A backend that accepts connections, reads them and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port, self.conns, self.stop = self.sock.getsockname()[1], [], False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)
            threading.Thread(target=self.drain, args=(c,), daemon=True).start()

    @staticmethod
    def drain(c):
        try:
            while c.recv(65536):
                pass
        except OSError:
            pass

    def close(self):
        self.stop = True
        self.sock.close()
        for c in self.conns:
            c.close()


class SlowLoris:
    """n clients each sending a request head one byte every 90 ms, reconnecting when cut."""

    def __init__(self, port, n=8):
        self.port, self.stop, self.connects = port, threading.Event(), 0
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]
        for t in self.threads:
            t.start()

    def run(self):
        head = b"GET /metrics HTTP/1.1\r\nX-Slow: "
        while not self.stop.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                self.connects += 1
                i = 0
                while not self.stop.is_set():
                    s.send(head[i:i + 1] if i < len(head) else b"a")
                    i += 1
                    time.sleep(0.09)
            except OSError:
                time.sleep(0.01)

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=3)


class Agent:
    """`pystrobe agent --config FILE args`, its log, its /metrics."""

    def __init__(self, pystrobe, tmp, name, args, cfg_text="", metrics=True):
        self.cfg = os.path.join(tmp, name + ".conf")
        self.log = os.path.join(tmp, name + ".log")
        with open(self.cfg, "w") as f:
            f.write(cfg_text)
        self.mport = free_port() if metrics else 0
        argv = [pystrobe, "agent", "--config", self.cfg, "--frequency", str(FREQ),
                "--syscalls", "false", "--metrics-port", str(self.mport)] + args
        with open(self.log, "w") as log:
            self.p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)

    def text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def metrics(self):
        return metrics(self.mport)

    def exited(self, timeout):
        """Exit status if it exits within timeout, else None."""
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return -1


@contextlib.contextmanager
def pushing(pystrobe, py, tmp, name, url, cfg="", args=()):
    """A busy worker and an agent pushing to url every second; a.rc after the block."""
    w = worker(py)
    a = Agent(pystrobe, tmp, name, ["--period", "1", "--spool-dir",
                                    os.path.join(tmp, name + "-spool")] + list(args),
              "url = %s\n%s" % (url, cfg))
    try:
        yield a, w
    finally:
        a.rc = a.stop()
        w.kill()
        w.wait()


def drop(m, kind):
    return m.get('pystrobe_agent_drops_total{kind="%s"}' % kind, 0)


def worker(py, seconds=60, service="hostile"):
    env = dict(os.environ, PYSTROBE_SERVICE=service)
    return subprocess.Popen([py, pslib.workload("hot.py"), str(seconds)], env=env)


def cpu_times(d, pid):
    """Write times of pid's CPU profiles in the directory sink, in order."""
    names = glob.glob(os.path.join(d, "*.cpu-%d.pb.gz" % pid))
    return sorted(os.stat(n).st_mtime for n in names if os.path.exists(n))


# A 1 s period is flushed at the main loop's first 500 ms tick after it ends: gaps of
# 1.0-1.5 s, so a 6 s window holds at least 4 flushes (3 gaps) when nothing stalls the
# loop; a stalled loop (the agent before issue 16) made 1.
def flush_gaps(d, pid, since):
    t = [x for x in cpu_times(d, pid) if x >= since]
    return [b - a for a, b in zip(t, t[1:])]


def timed_scrape(port):
    t0 = time.time()
    try:
        body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read()
    except OSError:
        body = b""
    return time.time() - t0, b"pystrobe_agent_samples_total" in body


def slowloris_test(c, pystrobe, py, tmp):
    """Scrapes and the period flush stay on time while 8 clients trickle bytes."""
    d = os.path.join(tmp, "loris")
    w = worker(py)
    a = Agent(pystrobe, tmp, "loris", ["--period", "1", "--dir", d])
    try:
        pslib.wait_for(lambda: len(cpu_times(d, w.pid)) >= 1, timeout=20)
        since = time.time()
        loris = SlowLoris(a.mport)
        lat = []
        for _ in range(12):
            time.sleep(0.5)
            lat.append(timed_scrape(a.mport))
        loris.close()
        gaps = flush_gaps(d, w.pid, since)
    finally:
        rc = a.stop()
        w.kill()
        w.wait()
    worst = max(t for t, _ in lat)
    c.check("agent", "slowloris-scrape", worst <= 0.5 and all(ok for _, ok in lat),
            "12 scrapes under 8 slow clients (%d connections): slowest %.3f s (want <= 0.5), "
            "all answered: %s" % (loris.connects, worst, all(ok for _, ok in lat)))
    c.check("agent", "slowloris-flush", len(gaps) >= 3 and max(gaps) <= 2.0 and rc == 0,
            "%d period flushes of 1 s during the attack, gaps %s s (want <= 2.0), exit %d"
            % (len(gaps) + 1, ["%.2f" % g for g in gaps], rc))


def silent_backend_test(c, pystrobe, py, tmp):
    """A backend that never answers: flushes on time, profiles spooled, scrapes answered."""
    d = os.path.join(tmp, "silent-dir")
    srv = Silent()
    with pushing(pystrobe, py, tmp, "silent", "http://127.0.0.1:%d" % srv.port,
                 args=["--dir", d, "--timeout", "5"]) as (a, w):
        pslib.wait_for(lambda: len(cpu_times(d, w.pid)) >= 1, timeout=20)
        since = time.time()
        time.sleep(6)
        lat, ok = timed_scrape(a.mport)
        m = a.metrics()
        gaps = flush_gaps(d, w.pid, since)
        t0 = time.time()
    took, rc = time.time() - t0, a.rc
    srv.close()
    c.check("agent", "silent-flush", len(gaps) >= 3 and max(gaps) <= 2.0,
            "%d flushes in 6 s with a backend that never answers, gaps %s s (want <= 2.0)"
            % (len(gaps) + 1, ["%.2f" % g for g in gaps]))
    c.check("agent", "silent-spool", ok and lat <= 0.5 and m.get("pystrobe_agent_spool_files",
                                                                   0) >= 4,
            "scrape %.3f s, %d profiles spooled (want >= 4), %d connections to the backend"
            % (lat, m.get("pystrobe_agent_spool_files", 0), len(srv.conns)))
    c.check("agent", "silent-exit", rc == 0 and took <= 5 + 3,
            "SIGTERM: exit %d after %.1f s (one push timeout of 5 s at most)" % (rc, took))


def backoff_test(c, pystrobe, py, tmp):
    """5xx: retries of the oldest profile 0.5, 1, 2, 2 .. s apart (backoff-max 2), then drained."""
    state = {"code": 503}
    rcv = Receiver(lambda h: state["code"])
    with pushing(pystrobe, py, tmp, "backoff", "http://127.0.0.1:%d" % rcv.port,
                 args=["--backoff-max", "2"]) as (a, _):
        pslib.wait_for(lambda: rcv.snapshot(), timeout=20)
        time.sleep(7)
        m_fail = a.metrics()
        fails = rcv.snapshot()
        state["code"] = 200
        drained = pslib.wait_for(lambda: a.metrics().get("pystrobe_agent_spool_files", 1) == 0,
                                 timeout=15, step=0.2)
        m_ok = a.metrics()
    rc = a.rc
    rcv.close()
    t = [p[0] for p in fails]
    gaps = [b - a_ for a_, b in zip(t, t[1:])]
    want = [min(0.5 * 2 ** i, 2.0) for i in range(len(gaps))]
    # a retry may come late on a busy machine (+1 s), never early (-0.15 s: clock grain)
    ok = len(gaps) >= 4 and all(wt - 0.15 <= g <= wt + 1.0 for g, wt in zip(gaps, want))
    same = len({try_key(p) for p in fails}) == 1  # the same bytes each try
    c.check("agent", "backoff-5xx", ok and same,
            "%d tries of one profile answered 503, intervals %s s, want %s (+1 s late at most)"
            % (len(fails), ["%.2f" % g for g in gaps], ["%.1f" % x for x in want]))
    c.check("agent", "backoff-metrics",
            m_fail.get("pystrobe_agent_push_backoff_seconds", 0) > 0 and
            m_fail.get("pystrobe_agent_push_last_status", 0) == 503 and drained and
            m_ok.get("pystrobe_agent_push_backoff_seconds", 1) == 0 and
            m_ok.get("pystrobe_agent_pushes_ok_total", 0) > 0 and rc == 0,
            "while failing: backoff %s s, last status %s; after: drained %s, backoff %s, ok %s"
            % (m_fail.get("pystrobe_agent_push_backoff_seconds"),
               m_fail.get("pystrobe_agent_push_last_status"), drained,
               m_ok.get("pystrobe_agent_push_backoff_seconds"),
               m_ok.get("pystrobe_agent_pushes_ok_total")))


def try_key(post):
    """What names one profile: its query and its body. Series labels carry no pid, so two
    processes of one service (other Pythons on a busy host) push the same query in a period."""
    body = post[3]  # multipart: curl draws a new boundary per try, so hash the part's bytes
    part = body.split(b"\r\n\r\n", 1)[-1].rsplit(b"\r\n--", 1)[0]
    return post[1], hashlib.sha256(part).hexdigest()


def spool_bounded(m, pushed):
    """Rejected profiles leave the spool: it holds only what awaits its first try (2 on a
    quiet host; every Python of a busy one is profiled too), far fewer than were pushed."""
    return m.get("pystrobe_agent_spool_files", 99) <= max(2, pushed // 3)


def reject_test(c, pystrobe, py, tmp):
    """400: every profile tried once, dropped and counted; the spool does not fill."""
    rcv = Receiver(lambda h: 400)
    with pushing(pystrobe, py, tmp, "reject", "http://127.0.0.1:%d" % rcv.port) as (a, _):
        pslib.wait_for(lambda: rcv.snapshot(), timeout=20)
        time.sleep(5)
        m = a.metrics()
    rc = a.rc
    rcv.close()
    posts = rcv.snapshot()
    tries = collections.Counter(try_key(p) for p in posts)
    c.check("agent", "reject-4xx", posts and max(tries.values()) == 1 and
            drop(m, "push_rejected") >= 1 and
            spool_bounded(m, len(tries)) and rc == 0,
            "%d profiles answered 400, most tries of one: %d (want 1), drops{push_rejected} %d, "
            "spooled %s" % (len(tries), max(tries.values()) if tries else 0,
                            drop(m, "push_rejected"), m.get("pystrobe_agent_spool_files")))


def auth_test(c, pystrobe, py, tmp):
    """A wrong token: 401 dropped, counted, said; the right one (SIGHUP) is accepted."""
    tok = os.path.join(tmp, "token")
    with open(tok, "w") as f:
        f.write("wrong-token\n")
    os.chmod(tok, 0o600)
    rcv = Receiver(lambda h: 200 if h.get("Authorization") == "Bearer right-token" else 401)
    with pushing(pystrobe, py, tmp, "auth", "http://127.0.0.1:%d" % rcv.port,
                 "bearer-token-file = %s\n" % tok) as (a, _):
        pslib.wait_for(lambda: rcv.snapshot(), timeout=20)
        time.sleep(3)
        m = a.metrics()
        refused = rcv.snapshot()
        with open(tok, "w") as f:
            f.write("right-token\n")
        a.p.send_signal(signal.SIGHUP)
        accepted = pslib.wait_for(lambda: any(p[4] == 200 for p in rcv.snapshot()), timeout=10)
    rc = a.rc
    rcv.close()
    log = a.text()
    tries = collections.Counter(try_key(p) for p in refused)
    c.check("agent", "auth-401", refused and max(tries.values()) == 1 and
            drop(m, "push_rejected") >= 1 and "HTTP 401" in log and
            "bearer-token-file" in log and accepted and rc == 0,
            "%d profiles refused with 401, most tries of one %d (want 1), drops{push_rejected} "
            "%d, said in the log: %s; accepted after the token was fixed: %s"
            % (len(tries), max(tries.values()) if tries else 0, drop(m, "push_rejected"),
               "HTTP 401" in log, accepted))
    c.check("agent", "auth-cleartext", "clear text" in log,
            "a bearer token over http:// warned about: %s" % ("clear text" in log))


def token_file_test(c, pystrobe, tmp):
    """A token file owned by nobody, or longer than the buffer, is refused at start."""
    cases = []
    for name, owner, text, want in (("foreign", NOBODY, "tok\n", "owned by uid"),
                                    ("long", 0, "x" * 600 + "\n", "longer than")):
        tok = os.path.join(tmp, "token-" + name)
        with open(tok, "w") as f:
            f.write(text)
        os.chmod(tok, 0o600)
        os.chown(tok, owner, -1)
        a = Agent(pystrobe, tmp, "tok-" + name, ["--spool-dir", os.path.join(tmp, "tok-spool")],
                  "url = https://127.0.0.1:1\nbearer-token-file = %s\n" % tok, metrics=False)
        rc = a.exited(15)
        if rc is None:
            a.stop()
        cases.append((name, rc, want in a.text()))
    c.check("agent", "token-file", all(rc not in (None, 0) and said for _, rc, said in cases),
            "(case, exit status, reason said): %s" % cases)


def make_cert(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return cert, key


def tls_test(c, pystrobe, py, tmp):
    """A self-signed https endpoint: refused by default, accepted with ca-file."""
    cert, key = make_cert(tmp)
    rcv = Receiver(tls=(cert, key))
    res = {}
    for name, extra in (("default", ""), ("ca-file", "ca-file = %s\n" % cert)):
        n0 = len(rcv.snapshot())
        with pushing(pystrobe, py, tmp, "tls-" + name, "https://127.0.0.1:%d" % rcv.port,
                     extra) as (a, _):
            pslib.wait_for(lambda: a.metrics().get("pystrobe_agent_pushes_ok_total", 0) +
                           a.metrics().get("pystrobe_agent_pushes_failed_total", 0) > 0,
                           timeout=20, step=0.5)
            time.sleep(1)
            m = a.metrics()
        res[name] = (m.get("pystrobe_agent_pushes_ok_total", 0),
                     m.get("pystrobe_agent_pushes_failed_total", 0),
                     len(rcv.snapshot()) - n0, a.rc)
    rcv.close()
    d, ca = res.get("default", (0, 0, 0, -1)), res.get("ca-file", (0, 0, 0, -1))
    c.check("agent", "tls", d[0] == 0 and d[1] > 0 and d[2] == 0 and ca[0] > 0 and ca[2] > 0,
            "self-signed: default (ok, failed, received, exit) %s, with ca-file %s" % (d, ca))


def dir_cap_test(c, pystrobe, py, tmp):
    """The directory cap reached: the oldest files go first, the size stays bounded."""
    d, cap = os.path.join(tmp, "cap"), 1 << 20
    os.makedirs(d, mode=0o700)
    old = ["%012d-old.cpu-1.pb.gz" % i for i in range(1, 9)]
    for name in old:  # a previous run's files: 8 x 128 KiB, the whole cap
        with open(os.path.join(d, name), "wb") as f:
            f.write(os.urandom(cap // 8))
    w = worker(py)
    a = Agent(pystrobe, tmp, "cap", ["--period", "1", "--dir", d, "--dir-max-mb", "1"])
    sizes, orders = [], []
    try:
        end = time.time() + 8
        while time.time() < end:
            names = os.listdir(d)
            sizes.append(sum(os.path.getsize(os.path.join(d, n)) for n in names
                             if os.path.exists(os.path.join(d, n))))
            left = [n for n in old if n in names]
            orders.append(left == old[len(old) - len(left):])
            time.sleep(0.1)
        m = a.metrics()
    finally:
        rc = a.stop()
        w.kill()
        w.wait()
    gone = len(old) - len([n for n in old if os.path.exists(os.path.join(d, n))])
    final = sum(os.path.getsize(os.path.join(d, n)) for n in os.listdir(d))
    # between a write and its trim one new file is over the cap: bound it by 64 KiB
    c.check("agent", "dir-cap", gone >= 1 and all(orders) and max(sizes) <= cap + (64 << 10) and
            final <= cap and drop(m, "dir_cap") >= gone and rc == 0,
            "%d of 8 old files deleted, oldest first: %s; largest size seen %d, final %d "
            "(cap %d); drops{dir_cap} %d" % (gone, all(orders), max(sizes), final, cap,
                                             drop(m, "dir_cap")))


def secret_file(tmp):
    """A root-only file shaped like a spool file (query line, body)."""
    path = os.path.join(tmp, "root-only")
    with open(path, "wb") as f:
        f.write(b"name=stolen\n" + SECRET)
    os.chmod(path, 0o600)
    return path


def leaked(rcv):
    return any(SECRET in p[3] or "stolen" in p[1] for p in rcv.snapshot())


def spool_owner_test(c, pystrobe, tmp):
    """nobody's spool (with nobody's link to a root file in it), or a 0777 one: refused."""
    secret = secret_file(tmp)
    rcv = Receiver()
    cases = []
    for name in ("nobody", "world"):
        spool = os.path.join(tmp, "spool-" + name)
        os.mkdir(spool)
        if name == "nobody":
            os.chown(spool, NOBODY, -1)
            subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            "ln", "-s", secret, os.path.join(spool, "000000000001-1.push")],
                           check=True)
        else:
            os.chmod(spool, 0o777)
        a = Agent(pystrobe, tmp, "spool-" + name, ["--spool-dir", spool, "--period", "1"],
                  "url = http://127.0.0.1:%d\n" % rcv.port, metrics=False)
        rc = a.exited(10)
        if rc is None:
            time.sleep(1)
            a.stop()
        cases.append((name, rc, "not writable by group or others" in a.text()))
    ok = all(rc not in (None, 0) and said for _, rc, said in cases) and not leaked(rcv)
    c.check("agent", "spool-owner", ok, "(spool dir, exit status, reason said): %s; the "
            "root-only file pushed: %s" % (cases, leaked(rcv)))
    rcv.close()


def spool_link_test(c, pystrobe, py, tmp):
    """A link (and a fifo) left in a root spool: skipped and counted, never read or pushed."""
    secret = secret_file(tmp)
    spool = os.path.join(tmp, "spool-link")
    os.mkdir(spool, 0o700)
    os.symlink(secret, os.path.join(spool, "000000000001-1.push"))
    os.mkfifo(os.path.join(spool, "000000000002-1.push"))
    rcv = Receiver()
    with pushing(pystrobe, py, tmp, "spool-link", "http://127.0.0.1:%d" % rcv.port,
                 args=["--spool-dir", spool]) as (a, _):
        pushed = pslib.wait_for(lambda: len(rcv.snapshot()) >= 2, timeout=20)
        m = a.metrics()
    rc = a.rc
    rcv.close()
    c.check("agent", "spool-link", pushed and not leaked(rcv) and
            drop(m, "spool_skipped") >= 2 and rc == 0,
            "profiles pushed: %s, the link's target pushed: %s, drops{spool_skipped} %d, exit %d"
            % (pushed, leaked(rcv), drop(m, "spool_skipped"), rc))


def root_spool_files():
    return set(glob.glob("/[0-9]*.push") + glob.glob("/.[0-9]*.push.tmp"))


def sighup_test(c, pystrobe, py, tmp):
    """Bad reloads (syntax, a dir that cannot be made, nobody's spool) keep the old config."""
    rcv = Receiver()
    w = worker(py)
    before = root_spool_files()
    bad_spool = os.path.join(tmp, "hup-nobody")
    os.mkdir(bad_spool)
    os.chown(bad_spool, NOBODY, -1)
    base = "url = http://127.0.0.1:%d\napp-name = before\nspool-dir = %s\n" % (
        rcv.port, os.path.join(tmp, "hup-spool"))
    a = Agent(pystrobe, tmp, "hup", ["--period", "1"], base)
    results = []
    try:
        pslib.wait_for(lambda: rcv.snapshot(), timeout=20)
        for name, text in (("syntax", "app-name = after\nthis is not a key value line\n"),
                           ("dir", "app-name = after\ndir = /proc/version/profiles\n"),
                           ("spool", "app-name = after\nspool-dir = %s\n" % bad_spool)):
            with open(a.cfg, "w") as f:
                f.write(base.replace("before", "after") + text)
            t = time.time()
            a.p.send_signal(signal.SIGHUP)
            time.sleep(3)
            after = [p for p in rcv.snapshot() if p[0] > t + 0.5]
            names = {dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(p[1]).query))
                     .get("name", "")[:7] for p in after}
            results.append((name, len(after), sorted(names), a.p.poll() is None))
    finally:
        rc = a.stop()
        w.kill()
        w.wait()
        rcv.close()
    written = root_spool_files() - before
    for path in written:
        os.unlink(path)
    # app-name is a prefix of the service (issue 19): "before.SERVICE.KIND{..}"
    ok = all(n >= 2 and names == ["before."] and alive for _, n, names, alive in results)
    c.check("agent", "sighup-bad", ok and not written and rc == 0,
            "(bad reload, pushes after, their names, alive): %s; files spooled into /: %s; "
            "exit %d" % (results, sorted(written), rc))


def service_name_test(c, pystrobe, py, tmp):
    """PYSTROBE_SERVICE=team/api: its profiles written as team_api, with a message."""
    d = os.path.join(tmp, "svc")
    w = worker(py, service="team/api")
    a = Agent(pystrobe, tmp, "svc", ["--period", "1", "--dir", d], metrics=False)
    try:
        pslib.wait_for(lambda: glob.glob(os.path.join(d, "*-team_api.cpu-%d.pb.gz" % w.pid)),
                       timeout=20)
        time.sleep(1.5)
    finally:
        rc = a.stop()
        w.kill()
        w.wait()
    files = glob.glob(os.path.join(d, "*-team_api.cpu-%d.pb.gz" % w.pid))
    said = "not a safe file name" in a.text()
    c.check("agent", "service-name", len(files) >= 2 and said and rc == 0,
            "%d profiles written as team_api, message: %s, exit %d" % (len(files), said, rc))


def main():
    opts, c = pslib.args(), pslib.Checks()
    py = (pslib.interpreters("3.12")[0] or pslib.interpreters()[0])[0][1]
    no_python = (token_file_test, spool_owner_test)
    for test in (slowloris_test, silent_backend_test, backoff_test, reject_test, auth_test,
                 tls_test, dir_cap_test, spool_link_test, sighup_test, service_name_test,
                 token_file_test, spool_owner_test):
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)  # nobody reaches the files planted for it
            try:
                test(c, opts.pystrobe, *(() if test in no_python else (py,)), tmp)
            except Exception as e:
                c.check("agent", test.__name__, False, "error: %r" % e)
    sys.exit(c.finish())


if __name__ == "__main__":
    main()
