#!/usr/bin/env python3
"""Fleet identity end to end, built for real on this machine: a kubepods-style
cgroup v2 hierarchy (systemd driver, containerd scope) with a Python process
moved into it as a runtime would, and the kubelet's pod log directories for
its pod (two containers, told apart by /var/log/containers). The agent's
Pyroscope pushes name the service's application (name=cart.cpu{service_name=cart,
namespace=..,pod=..,container=app,..}); two processes of one service share
one series (no pid series label; pid is a pprof sample label); the pprof
samples carry namespace, pod and container; `pystrobe record`'s root frame
and summary say [pod NS/POD, container app]. With otlp-url, the same agent's
OTLP/HTTP exports (opentelemetry-proto v1.11.0 profiles v1development),
decoded by protoc-generated code from tests/data/otlp/, carry the same sample
totals as its pprof pushes, Python stacks leaf first, and the resource
attributes service.name, host.name, k8s.*, container.id,
process.runtime.version. Everything created is removed."""
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import otlp_decode
import pslib
from pslib import free_port
from test_agent import Receiver, parse_push, profile_part, start_agent, stop_agent

UID = "4e1f6a2c-93b7-4d15-8c2e-7a0b5d6e9f31"
CID = "7c4e9a01b2d3f4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b"
NS, POD = "e2e-shop", "cart-5f7d9c"
LOG_PODS, LOG_CONTAINERS = "/var/log/pods", "/var/log/containers"


def cgroup2_root():
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype = line.split()[:3]
            if fstype == "cgroup2":
                return mnt
    return None


class Node:
    """The pod's cgroup and log directories; remove() undoes exactly what was made."""

    def __init__(self, cg_root):
        uid_ = UID.replace("-", "_")
        self.top = os.path.join(cg_root, "kubepods.slice")
        self.cg = os.path.join(self.top, "kubepods-burstable.slice",
                               "kubepods-burstable-pod%s.slice" % uid_,
                               "cri-containerd-%s.scope" % CID)
        self.made = []  # directories we created, outermost first
        self.pod_dir = os.path.join(LOG_PODS, "%s_%s_%s" % (NS, POD, UID))
        self.link = os.path.join(LOG_CONTAINERS, "%s_%s_app-%s.log" % (POD, NS, CID))

    def mkdirs(self, path):
        missing = []
        while not os.path.isdir(path):
            missing.append(path)
            path = os.path.dirname(path)
        for p in reversed(missing):
            os.mkdir(p, 0o755)
            os.chmod(p, 0o755)
            self.made.append(p)

    def create(self):
        self.mkdirs(self.cg)
        for c in ("app", "sidecar"):
            self.mkdirs(os.path.join(self.pod_dir, c))
        self.mkdirs(LOG_CONTAINERS)
        with open(self.link, "w"):
            pass

    def remove(self):
        if os.path.exists(self.link):
            os.unlink(self.link)
        for p in reversed(self.made):  # innermost first; a cgroup goes once empty
            for _ in range(50):
                try:
                    os.rmdir(p)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)


def start_in_cgroup(cg, py, service, secs):
    """sh writes its pid into the cgroup, then execs Python (as runc does)."""
    env = dict(os.environ, PYSTROBE_SERVICE=service)
    return subprocess.Popen(["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', cg, py,
                             pslib.workload("hot.py"), str(secs)], env=env)


def pids_in(body):
    """The pid sample labels of a pushed pprof."""
    path = tempfile.mktemp(suffix=".pb.gz")
    with open(path, "wb") as f:
        f.write(body)
    try:
        prof = pslib.read_pprof(path)
    finally:
        os.unlink(path)
    return {lab["pid"][0] for _, lab in prof["samples"] if "pid" in lab}, prof


def otlp_checks(c, pb, exports, cart, pprof_total, ver):
    """The OTLP exports of cart: decoded, same totals as the pprof, stacks, attributes."""
    profs, bad = [], []
    for headers, body in exports:
        if headers.get("Content-Type") != "application/x-protobuf":
            bad.append(headers.get("Content-Type"))
        profs += otlp_decode.decode(pb, body)
    mine = [p for p in profs if p["resource"].get("service.name") == "cart"]
    cpu = [p for p in mine if p["type"] == ("samples", "count")]
    total = sum(v[0] for p in cpu for v, _, _, _ in p["samples"])
    c.check("fleet", "otlp-decoded", exports and not bad and cpu and
            all(p["period_type"] == ("cpu", "nanoseconds") and p["period"] == 10 ** 9 // 49 and
                p["zero_entries"] and p["scope"][0] == "pystrobe" for p in cpu) and
            total == pprof_total,
            "%d exports (content types not protobuf: %s), %d cart profiles, %d cpu; "
            "%d samples in OTLP vs %d in the pprof pushes; first %s"
            % (len(exports), bad[:2], len(mine), len(cpu), total, pprof_total,
               {k: v for k, v in (cpu[0] if cpu else {}).items() if k != "samples"}))
    # every stack is the cart thread's, rooted at <module>; most samples are
    # in hot_leaf (the rest: main's loop around time.time(), a handful)
    stacks = [(v[0], funcs, attrs) for p in cpu for v, funcs, _, attrs in p["samples"]]
    rooted = [(n, f) for n, f, a in stacks if f and f[-1] == "<module>" and
              a.get("thread.id") == cart.pid]
    hot = sum(n for n, f in rooted if f[0] == "hot_leaf")
    c.check("fleet", "otlp-stacks", stacks and len(rooted) == len(stacks) and hot >= 0.8 * total,
            "%d cart stacks, %d rooted at <module> with thread.id %d; %d of %d samples in "
            "hot_leaf; the others: %s" % (len(stacks), len(rooted), cart.pid, hot, total,
                                          [s for s in stacks if s[1][:1] != ["hot_leaf"]][:3]))
    want = {"service.name": "cart", "host.name": "e2e-host", "k8s.namespace.name": NS,
            "k8s.pod.name": POD, "k8s.pod.uid": UID, "k8s.container.name": "app",
            "container.id": CID, "process.runtime.version": ver, "process.pid": cart.pid}
    res = mine[0]["resource"] if mine else {}
    c.check("fleet", "otlp-resource", mine and all(p["resource"] == res for p in mine) and
            all(res.get(k) == v for k, v in want.items()),
            "resource of cart's exports: %s (want %s)" % (res, want))


def agent_test(c, pystrobe, py, ver, node, tmp, procs):
    port = free_port()
    rcv = Receiver(port)
    rcv.start()
    cart = start_in_cgroup(node.cg, py, "cart", 30)
    procs.append(cart)
    pool = [subprocess.Popen([py, pslib.workload("hot.py"), "30"],
                             env=dict(os.environ, PYSTROBE_SERVICE="pool")) for _ in range(2)]
    procs.extend(pool)
    agent, _ = start_agent(pystrobe, tmp, [
        "--period", "1", "--frequency", "49", "--host", "e2e-host", "--metrics-port", "0",
        "--syscalls", "false", "--spool-dir", os.path.join(tmp, "spool"),
        "--otlp-url", "http://127.0.0.1:%d/" % port],
        "url = http://127.0.0.1:%d\n" % port)
    try:
        pslib.wait_for(lambda: sum(1 for _, p, _, _ in rcv.snapshot()
                                   if "pool.cpu" in p) >= 4, timeout=20, step=0.2)
        time.sleep(1.2)
    finally:
        rc = stop_agent(agent)
    pushes = rcv.snapshot()
    rcv.stop()
    c.check("fleet", "agent-exit", rc == 0, "agent exit %d after SIGTERM" % rc)
    cart_labels, cart_pprof, pool_names, pool_pids, pid_series = [], [], set(), set(), []
    exports = [(h, b) for _, p, h, b in pushes if p == "/v1development/profiles"]
    for _, path, headers, body in pushes:
        labels, _, _, q = parse_push(path)
        if "pid" in labels or "cgroup" in labels:
            pid_series.append(q.get("name"))
        data = profile_part(headers, body) or b""
        if labels.get("service_name") == "cart" and q["name"].startswith("cart.cpu{"):
            cart_labels.append(labels)
            cart_pprof.append(pids_in(data)[1])
        if labels.get("service_name") == "pool":
            pool_names.add(q["name"])
            pool_pids |= pids_in(data)[0]
    want = {"service": "cart", "namespace": NS, "pod": POD, "container": "app",
            "host": "e2e-host"}
    good = [lab for lab in cart_labels if all(lab.get(k) == v for k, v in want.items())]
    c.check("fleet", "series-labels", cart_labels and len(good) == len(cart_labels),
            "%d cart.cpu pushes, %d with %s; first: %s"
            % (len(cart_labels), len(good), want, cart_labels[:1]))
    samples = [lab for prof in cart_pprof for _, lab in prof["samples"]]
    ok = [lab for lab in samples if lab.get("namespace") == NS and lab.get("pod") == POD and
          lab.get("container") == "app" and lab.get("container_id") == CID and
          lab.get("pid", (0,))[0] == cart.pid]
    c.check("fleet", "pprof-labels", samples and len(ok) == len(samples),
            "%d cart samples, %d labelled namespace/pod/container/container_id/pid; first %s"
            % (len(samples), len(ok), samples[:1]))
    mine = {p.pid for p in pool}
    c.check("fleet", "one-series-per-service", len(pool_names) == 1 and mine <= pool_pids and
            not pid_series,
            "service pool (pids %s): %d series names %s, pids in samples %s; series with "
            "pid/cgroup: %s" % (sorted(mine), len(pool_names), sorted(pool_names)[:3],
                                sorted(pool_pids), pid_series[:2]))
    pb = otlp_decode.compile_proto(tmp)
    otlp_checks(c, pb, exports, cart, sum(v[0] for prof in cart_pprof
                                          for v, _ in prof["samples"]), ver)
    return cart


def record_test(c, pystrobe, cart, tmp):
    out = os.path.join(tmp, "cart.folded")
    r = pslib.run_pystrobe(pystrobe, ["record", "-p", str(cart.pid), "-d", "1", "-F", "49",
                                      "--format", "folded", "-o", out])
    tag = "[pod %s/%s, container app]" % (NS, POD)
    roots = set()
    if os.path.exists(out):
        with open(out) as f:
            roots = {ln.split(";", 1)[0] for ln in f if ln.strip() and not ln.startswith("#")}
    c.check("fleet", "record-root", r.returncode == 0 and roots and
            all(tag in root for root in roots),
            "exit %d, roots %s (want each with %s)" % (r.returncode, sorted(roots)[:2], tag))
    c.check("fleet", "record-summary", "container: %s" % tag in r.stderr + r.stdout,
            "summary lines: %s" % [ln for ln in (r.stderr + r.stdout).splitlines()
                                   if str(cart.pid) in ln or "container" in ln][:3])


def main():
    a = pslib.args()
    c = pslib.Checks()
    root = cgroup2_root()
    if not root:
        pslib.report_missing("a cgroup v2 mount (/proc/mounts)")
        sys.exit(c.finish())
    found, _ = pslib.interpreters(a.only or "3.12")
    if not found:
        found, _ = pslib.interpreters()
    _, py, ver = found[0]
    node, procs = Node(root), []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            node.create()
            cart = agent_test(c, a.pystrobe, py, ver, node, tmp, procs)
            record_test(c, a.pystrobe, cart, tmp)
        finally:
            for p in procs:
                p.kill()
                p.wait()
            node.remove()
    c.check("fleet", "cleanup", not any(os.path.exists(p) for p in node.made),
            "left behind: %s" % [p for p in node.made if os.path.exists(p)])
    sys.exit(c.finish())


if __name__ == "__main__":
    main()
