#!/usr/bin/env python3
"""`pystrobe agent` end to end: a Pyroscope-style receiver on loopback records
every push; `go tool pprof -raw` reads every body; the labels are the
configured ones (name=SERVICE.cpu{service_name, service from PYSTROBE_SERVICE /
OTEL_SERVICE_NAME / the script name, host, python}, no pid or cgroup series
label: pid is a pprof sample label); the receiver stopped for three
periods then restarted gets every period, in order, none twice; /metrics
answers in Prometheus text; SIGHUP reloads the config file; the directory
sink stays under its cap; 2,000 short Python processes leave the agent's
RSS within 10 %; with wall = true, wall/nanoseconds profiles whose [sleep]
time is what the workload slept; with gil = exact, a gil_wait/nanoseconds profile per process
whose top function is the contended one and whose total is about the wait
`pystrobe gil` reports, on every CPython of test_gil.py."""
import json
import gzip
import http.server
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import pslib

PERIOD = 2
GIL_VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "debian-3.11")
FREQ = 49  # enough samples per 2 s period that a busy process is in every one


class Receiver:
    """Records (time, path, headers, body) of every POST; stop() / start() on one port."""

    def __init__(self, port):
        self.port, self.pushes, self.srv, self.lock = port, [], None, threading.Lock()

    def start(self):
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.pushes.append((time.time(), self.path, dict(self.headers), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a):
                pass

        http.server.HTTPServer.allow_reuse_address = True
        self.srv = http.server.HTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()

    def snapshot(self):
        with self.lock:
            return list(self.pushes)


def profile_part(headers, body):
    """The multipart field "profile" of a push, or None."""
    m = re.search(r"boundary=(\S+)", headers.get("Content-Type", ""))
    if not m:
        return None
    for part in body.split(b"--" + m.group(1).encode()):
        head, _, data = part.partition(b"\r\n\r\n")
        if b'name="profile"' in head:
            return data[:-2] if data.endswith(b"\r\n") else data
    return None


def parse_push(path):
    """(name labels dict, from, until, query dict) of an /ingest path."""
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
    m = re.match(r"^([^{]*)\{(.*)\}$", q.get("name", ""))
    labels = dict(kv.split("=", 1) for kv in m.group(2).split(",")) if m else {}
    return labels, int(q.get("from", -1)), int(q.get("until", -1)), q


def go_env(tmp):
    env = dict(os.environ)
    env.update(HOME=os.path.join(tmp, "gohome"), GOCACHE=os.path.join(tmp, "gocache"),
               GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOPROXY="off", GOTELEMETRY="off")
    return env


def go_raw(tmp, data):
    """(exit status, output) of `go tool pprof -raw` on data."""
    path = os.path.join(tmp, "body.pb.gz")
    with open(path, "wb") as f:
        f.write(data)
    r = subprocess.run(["go", "tool", "pprof", "-raw", path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, env=go_env(tmp),
                       timeout=120)
    return r.returncode, r.stdout


def metrics(port):
    try:
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read()
    except OSError:
        return {}
    out = {}
    for line in text.decode().splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.rpartition(" ")
            out[k] = float(v)
    return out


def start_agent(pystrobe, tmp, extra, cfg_text=""):
    cfg = os.path.join(tmp, "agent.conf")
    with open(cfg, "w") as f:
        f.write(cfg_text)
    log = open(os.path.join(tmp, "agent.log"), "w")
    p = subprocess.Popen([pystrobe, "agent", "--config", cfg] + extra, stdout=log,
                         stderr=subprocess.STDOUT)
    return p, cfg


def stop_agent(p):
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        return -1


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def workers(py, tmp):
    """Three busy processes: PYSTROBE_SERVICE, OTEL_SERVICE_NAME, and neither (hot.py)."""
    env1 = dict(os.environ, PYSTROBE_SERVICE="checkout", OTEL_SERVICE_NAME="ignored")
    env2 = dict(os.environ, OTEL_SERVICE_NAME="billing")
    env3 = {k: v for k, v in os.environ.items()
            if k not in ("PYSTROBE_SERVICE", "OTEL_SERVICE_NAME")}
    argv = [py, pslib.workload("hot.py"), "60"]
    return [subprocess.Popen(argv, env=e) for e in (env1, env2, env3)]


def is_cpu(headers, body):
    """A CPU profile (sample type "samples"), not the syscall one ("syscalls")."""
    try:
        return b"samples" in gzip.decompress(profile_part(headers, body) or b"")
    except (OSError, EOFError):
        return False


def check_labels(c, pushes, procs, ver, tmp):
    """Every body parses; each worker's series is named for its service, labelled as
    configured, without pid or cgroup (the pid is a pprof sample label)."""
    want = {"checkout": procs[0].pid, "billing": procs[1].pid, "hot": procs[2].pid}
    bad, seen = [], {}
    for _, path, headers, body in pushes:
        data = profile_part(headers, body)
        rc, out = go_raw(tmp, data or b"")
        if rc != 0 or "Samples:" not in out:
            bad.append("%s: exit %d %s" % (path[:80], rc, out[-200:]))
        labels, _, _, q = parse_push(path)
        svc = labels.get("service_name")
        if svc in want and q.get("name", "").startswith(svc + ".cpu{") and \
                is_cpu(headers, body):
            seen[svc] = (labels, out)
    c.check("agent", "pprof-raw", not bad and len(pushes) > 0,
            "%d bodies, go tool pprof -raw failed on %d %s" % (len(pushes), len(bad), bad[:2]))
    for svc, pid in want.items():
        labels, out = seen.get(svc, ({}, ""))
        ok = labels.get("service") == svc and labels.get("host") == "e2e-host" and \
            labels.get("python") == ver and "pid" not in labels and "cgroup" not in labels \
            and "hot_leaf" in out and re.search(r"pid:\[%d\]" % pid, out)
        c.check("agent", "labels", ok, "%s: want %s.cpu{service_name=%s,host=e2e-host,"
                "python=%s} without pid/cgroup and pid:[%d] in the samples, got %s"
                % (svc, svc, svc, ver, pid, labels))


def check_outage(c, pushes, svc, t_down, t_up):
    """The pushes of service svc (one process): consecutive periods, in order, none twice,
    across the outage."""
    mine = [parse_push(p)[1:3] for _, p, _, _ in pushes
            if parse_push(p)[0].get("service_name") == svc]
    froms = [f for f, _ in mine]
    dups = len(froms) - len(set(froms))
    ordered = froms == sorted(froms)
    gaps = [(a, b) for a, b in zip(mine, mine[1:]) if b[0] != a[1]]
    covered = mine and mine[0][0] < t_down - PERIOD and mine[-1][1] > t_up + PERIOD
    c.check("agent", "outage", dups == 0 and ordered and not gaps and covered,
            "%d periods of %s, %d twice, in order: %s, gaps %s, from %s to %s "
            "(receiver down %d..%d)" % (len(mine), svc, dups, ordered, gaps[:3],
                                        mine[0][0] if mine else None,
                                        mine[-1][1] if mine else None, t_down, t_up))


def push_test(c, pystrobe, py, ver, tmp):
    port, mport = pslib.free_port(), pslib.free_port()
    rcv = Receiver(port)
    rcv.start()
    procs = workers(py, tmp)
    agent, cfg = start_agent(pystrobe, tmp, [
        "--period", str(PERIOD), "--frequency", str(FREQ), "--host", "e2e-host",
        "--spool-dir", os.path.join(tmp, "spool"), "--metrics-port", str(mport),
        "--backoff-max", "2"], "url = http://127.0.0.1:%d\n" % port)
    try:
        time.sleep(3 * PERIOD + 1)
        m = metrics(mport)
        c.check("agent", "metrics", m.get("pystrobe_agent_pushes_ok_total", 0) > 0 and
                m.get("pystrobe_agent_processes", 0) >= 3 and
                m.get("pystrobe_agent_resident_memory_bytes", 0) > 0 and
                'pystrobe_agent_drops_total{kind="spool_cap"}' in m,
                "metrics: %s" % {k: v for k, v in m.items() if "drops" not in k})
        rcv.stop()
        t_down = time.time()
        time.sleep(3 * PERIOD)
        spooled = metrics(mport).get("pystrobe_agent_spool_files", 0)
        rcv.start()
        t_up = time.time()
        drained = pslib.wait_for(
            lambda: metrics(mport).get("pystrobe_agent_spool_files", 1) == 0 and
            time.time() > t_up + 2 * PERIOD, timeout=30, step=0.5)
        c.check("agent", "spool", spooled >= 3 and drained,
                "%d profiles spooled while down, drained after restart: %s"
                % (spooled, drained))
        # SIGHUP: the file's new app-name applies to the next periods; the --host flag
        # still wins over the file's host
        with open(cfg, "a") as f:
            f.write("app-name = reloaded\nhost = file-host\n")
        agent.send_signal(signal.SIGHUP)
        time.sleep(2 * PERIOD + 1)
    finally:
        rc = stop_agent(agent)
        for p in procs:
            p.kill()
            p.wait()
    pushes = rcv.snapshot()
    rcv.stop()
    c.check("agent", "sigterm", rc == 0, "exit status after SIGTERM: %d" % rc)
    last = parse_push(pushes[-1][1]) if pushes else ({}, 0, 0, {})
    c.check("agent", "sighup", last[3].get("name", "").startswith("reloaded.") and
            last[0].get("service_name", "").startswith("reloaded.") and
            last[0].get("host") == "e2e-host",
            "after SIGHUP the last push is named %s (want reloaded.SERVICE.KIND{..host=e2e-host..})"
            % last[3].get("name"))
    check_labels(c, pushes, procs, ver, tmp)
    cpu = [push for push in pushes if is_cpu(push[2], push[3])]
    check_outage(c, cpu, "checkout", int(t_down), int(t_up))


def dir_test(c, pystrobe, py, tmp):
    """The directory sink: a file per process per period, under its cap."""
    d = os.path.join(tmp, "profiles")
    procs = workers(py, tmp)
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", str(FREQ),
                                           "--dir", d, "--dir-max-mb", "1", "--metrics-port",
                                           "0"])
    suffix = "-checkout.cpu-%d.pb.gz" % procs[0].pid

    def mine_now():
        return [f for f in (os.listdir(d) if os.path.isdir(d) else []) if f.endswith(suffix)]

    # four 1 s periods written: waited for, not slept for (start-up is slower under load)
    pslib.wait_for(lambda: len(mine_now()) >= 4, timeout=30, step=0.25)
    rc = stop_agent(agent)
    for p in procs:
        p.kill()
        p.wait()
    files = os.listdir(d) if os.path.isdir(d) else []
    size = sum(os.path.getsize(os.path.join(d, f)) for f in files)
    mine = [f for f in files if f.endswith(suffix)]
    c.check("agent", "dir", rc == 0 and len(mine) >= 4 and size <= 1 << 20,
            "%d files (%d of the checkout worker), %d bytes (cap 1 MiB), exit %d"
            % (len(files), len(mine), size, rc))


def version_test(c, pystrobe, label, py, tmp):
    """The agent profiles interpreter `label`: a file for its worker that names hot_leaf."""
    d = os.path.join(tmp, "profiles-" + label)
    env = dict(os.environ, PYSTROBE_SERVICE="checkout")
    proc = subprocess.Popen([py, pslib.workload("hot.py"), "30"], env=env)
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", str(FREQ),
                                           "--dir", d, "--metrics-port", "0"])
    time.sleep(5)
    rc = stop_agent(agent)
    proc.kill()
    proc.wait()
    files = os.listdir(d) if os.path.isdir(d) else []
    mine = [f for f in files if f.endswith("-checkout.cpu-%d.pb.gz" % proc.pid)]
    named = 0
    for f in mine:
        with gzip.open(os.path.join(d, f)) as g:
            named += b"hot_leaf" in g.read()
    c.check(label, "agent", rc == 0 and len(mine) >= 2 and named >= 2,
            "%d profiles of the worker, %d naming hot_leaf, exit %d" % (len(mine), named, rc))


def churn_test(c, pystrobe, py, tmp):
    """2,000 short Python processes: agent RSS after within 5 % of before.

    Measured +1.9 to +2.7 % (the tables reach their size; then flat: +0.2 %
    from 2,000 to 6,000 more). The directory sink's index growing with every
    file read +7.5 % here (issue 15), so the bound is 5 %, not 10 %.

    At least 800 must have been profiled (the caches were exercised): the agent
    examines new processes every 10 ms for 250 ms, so some of these ~60 ms
    processes end before it looks (at 19 Hz they would get < 1 sample each)."""
    mport = pslib.free_port()
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", "99",
                                           "--dir", os.path.join(tmp, "churn"),
                                           "--dir-max-mb", "4", "--metrics-port", str(mport)])

    def batch(n):
        for i in range(0, n, 25):
            ps = [subprocess.Popen([py, pslib.workload("short.py"), "30"]) for _ in range(25)]
            for p in ps:
                p.wait()

    try:
        batch(200)  # warm-up: the tables reach their working size
        time.sleep(3)
        before = rss_kb(agent.pid)
        seen0 = metrics(mport).get("pystrobe_agent_processes_seen_total", 0)
        t0 = time.time()
        batch(2000)
        took = time.time() - t0
        time.sleep(3)  # two periods: the exited processes are pruned
        after = rss_kb(agent.pid)
        seen = metrics(mport).get("pystrobe_agent_processes_seen_total", 0) - seen0
    finally:
        rc = stop_agent(agent)
    ok = before > 0 and abs(after - before) <= before * 0.05 and seen >= 800 and rc == 0
    c.check("agent", "churn", ok, "2000 processes in %.0f s (%d profiled): RSS %d kB before, "
            "%d kB after (%+.1f %%, want within 5 %%)"
            % (took, seen, before, after, 100.0 * (after - before) / max(before, 1)))


def syscalls_test(c, pystrobe, py, tmp):
    """N small writes from a known function: its syscall profiles add up to about N calls."""
    d, n = os.path.join(tmp, "sysprofiles"), 2000000
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", str(FREQ),
                                           "--dir", d, "--metrics-port", "0"])
    time.sleep(2)
    w = subprocess.Popen([py, pslib.workload("write_calls.py"), str(n)])
    w.wait()
    time.sleep(2.5)
    rc = stop_agent(agent)
    files = sorted(f for f in (os.listdir(d) if os.path.isdir(d) else [])
                   if f.endswith(".syscalls-%d.pb.gz" % w.pid))
    calls, leaf, top = 0, set(), set()
    for f in files:
        for hide, tops in (([], leaf), (["-hide=^write$"], top)):
            # stacks end in the syscall (leaf `write`); hidden, the Python function is on top
            r = subprocess.run(["go", "tool", "pprof"] + hide + ["-top", os.path.join(d, f)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, env=go_env(tmp), timeout=120)
            m = re.search(r"Total samples = (\d+)", r.stdout)
            calls += int(m.group(1)) if m and not hide else 0
            rows = [ln.split()[-1] for ln in r.stdout.splitlines()
                    if re.match(r"\s*\d+ +[\d.]+%", ln)]
            tops.update(rows[:1])
    # 1-in-N stacks scaled by N: the sum estimates the exact count (N plus startup calls)
    c.check("agent", "syscalls", rc == 0 and files and 0.9 * n <= calls <= 1.1 * n + 5000 and
            leaf == {"write"} and top == {"write_many"},
            "%d syscall profiles of the writer: %d calls (%d writes made), leaf %s, "
            "top %s below it, exit %d" % (len(files), calls, n, sorted(leaf), sorted(top), rc))


def raw_samples(text):
    """[(value, leaf function)] of a single-value `go tool pprof -raw` output."""
    locs, samples, part = {}, [], None
    for ln in text.splitlines():
        if ln in ("Samples:", "Locations", "Mappings"):
            part = ln
            continue
        m = re.match(r"^\s*(\d+): (\d[\d ]*)$", ln.rstrip())
        if part == "Samples:" and m:
            samples.append((int(m.group(1)), int(m.group(2).split()[0])))
        m = re.match(r"^\s*(\d+): 0x[0-9a-f]+ M=\d+ (\S+)", ln)
        if part == "Locations" and m:
            locs[int(m.group(1))] = m.group(2)
    return [(v, locs.get(loc, "?")) for v, loc in samples]


# 4 threads contend for 3 s after a 1 s sleep: the agent finds the process and
# attaches its probes during the sleep (on a loaded host that took up to 0.85 s,
# and the agent's sum read 72 % of `gil -- CMD`'s, which traces from exec)
GIL_ARGS = ["4", "3", "1"]


def gil_wait_total(c, pystrobe, label, py, tmp):
    """`pystrobe gil` on the workload: the workers' wait, summed (ns)."""
    js = os.path.join(tmp, "gil-%s.json" % label)
    r = pslib.run_pystrobe(pystrobe, ["gil", "--json", js, "--", py,
                                      pslib.workload("gil_contention.py")] + GIL_ARGS)
    if r.returncode != 0:
        raise AssertionError("pystrobe gil: exit %d: %s" % (r.returncode, r.stderr[-300:]))
    with open(js) as f:
        p = json.load(f)["processes"][0]
    return sum(t["wait_ns"] for t in p["threads"] if t["tid"] != p["pid"])


def gil_test(c, pystrobe, label, py, tmp):
    """gil = exact: the contended workers' waits, per process per period, in ns."""
    d = os.path.join(tmp, "gil-" + label)
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", str(FREQ),
                                           "--dir", d, "--metrics-port", "0",
                                           "--syscalls", "false", "--gil", "exact"])
    time.sleep(1.5)
    w = subprocess.Popen([py, pslib.workload("gil_contention.py")] + GIL_ARGS)
    w.wait()
    time.sleep(2.5)
    rc = stop_agent(agent)
    files = sorted(f for f in (os.listdir(d) if os.path.isdir(d) else [])
                   if f.endswith(".gil_wait-%d.pb.gz" % w.pid))
    total, by_fn, types = 0, {}, set()
    for f in files:
        with open(os.path.join(d, f), "rb") as fh:
            code, out = go_raw(tmp, fh.read())
        types.update(re.findall(r"^(\w+/\w+)\s*$", out, re.M))
        for v, fn in raw_samples(out):
            total += v
            by_fn[fn] = by_fn.get(fn, 0) + v
    top = max(by_fn, key=by_fn.get) if by_fn else None
    c.check(label, "agent-gil", rc == 0 and len(files) >= 2 and top == "contended_work" and
            types == {"gil_wait/nanoseconds"},
            "%d gil_wait profiles of the workload, types %s, top %s, exit %d"
            % (len(files), sorted(types), top, rc))
    want = gil_wait_total(c, pystrobe, label, py, tmp)
    c.check(label, "agent-gil-sum", want > 0 and 0.75 <= total / want <= 1.25,
            "agent: %.2f s waited, pystrobe gil: %.2f s (ratio %.2f, want 0.75..1.25)"
            % (total / 1e9, want / 1e9, total / max(want, 1)))


def wall_test(c, pystrobe, py, tmp):
    """wall = true: wall/nanoseconds profiles of wall_split.py with reasons as leaves and
    labels; its [sleep] time adds up to what the workload's clock says it slept."""
    d, truth = os.path.join(tmp, "wall"), os.path.join(tmp, "wall-truth.json")
    agent, _ = start_agent(pystrobe, tmp, ["--period", "1", "--frequency", str(FREQ),
                                           "--dir", d, "--metrics-port", "0",
                                           "--syscalls", "false", "--wall", "true"])
    time.sleep(1.5)
    w = subprocess.Popen([py, pslib.workload("wall_split.py"), "3", truth])
    w.wait()
    time.sleep(2.5)
    rc = stop_agent(agent)
    files = sorted(f for f in (os.listdir(d) if os.path.isdir(d) else [])
                   if f.endswith(".wall-%d.pb.gz" % w.pid))
    by_leaf, types, labelled = {}, set(), True
    for f in files:
        with open(os.path.join(d, f), "rb") as fh:
            code, out = go_raw(tmp, fh.read())
        types.update(re.findall(r"^(\w+/\w+)\s*$", out, re.M))
        labelled = labelled and "reason:" in out
        for v, fn in raw_samples(out):
            by_leaf[fn] = by_leaf.get(fn, 0) + v
    c.check("agent", "wall", rc == 0 and len(files) >= 2 and types == {"wall/nanoseconds"} and
            labelled and all(k in by_leaf for k in ("[CPU]", "[sleep]", "[io:")),
            "%d wall profiles, types %s, reason labels %s, leaves %s, exit %d"
            % (len(files), sorted(types), labelled, sorted(by_leaf), rc))
    with open(truth) as f:
        slept = json.load(f)["sleep_part"]
    got = by_leaf.get("[sleep]", 0) / 1e9
    c.check("agent", "wall-sleep", slept > 0 and abs(got - slept) <= 0.05 * slept,
            "[sleep] %.3f s in the wall profiles, the workload slept %.3f s (want within 5 %%)"
            % (got, slept))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters("3.12")
    if not found:
        found, _ = pslib.interpreters()
    _, py, ver = found[0]
    with tempfile.TemporaryDirectory() as tmp:
        push_test(c, a.pystrobe, py, ver, tmp)
        dir_test(c, a.pystrobe, py, tmp)
        syscalls_test(c, a.pystrobe, py, tmp)
        churn_test(c, a.pystrobe, py, tmp)
        wall_test(c, a.pystrobe, py, tmp)
    for label, vpy, _ in pslib.interpreters(a.only or ",".join(pslib.SID_LABELS))[0]:
        with pslib.sid_tmpdir(label) as tmp:
            version_test(c, a.pystrobe, label, vpy, tmp)
    gil_found, gil_missing = pslib.interpreters(a.only or ",".join(GIL_VERSIONS))
    for label in gil_missing:  # printed by interpreters(); a failure where CI must have it
        if os.environ.get("CI") == "true":
            c.check(label, "agent-gil", False, "CI: CPython %s is not installed" % label)
    for label, gpy, _ in gil_found:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                gil_test(c, a.pystrobe, label, gpy, tmp)
            except Exception as e:
                c.check(label, "agent-gil", False, "error: %s" % e)
    sys.exit(c.finish())


if __name__ == "__main__":
    main()
