#!/usr/bin/env python3
"""Benchmark of `pystrobe agent` (issue 7 bars), all figures from one run.

1. Idle host: the agent's own CPU (user+system from /proc/PID/stat) plus its
   sampler BPF time (kernel.bpf_stats_enabled=1, from its /metrics), as % of
   one core, over --idle seconds. Bar <= 0.5 %.
2. 20 busy Python processes (fixed_work.py, each timing its own work):
   interleaved pairs of the same 20-process batch without and with the agent
   running; the median ratio of the batch's mean elapsed is the wall-time
   overhead (bar <= 1 %); the agent's CPU + BPF time during the profiled
   batches as % of a core (bar <= 2 %).
3. The agent's peak RSS (VmHWM) over the whole run. Bar <= 50 MB.

The agent runs at its default rate (19 Hz) with a directory sink and a 5 s
period (3x the default's cuts, so every measured window holds some). This
host is shared: other Python processes run and exec all the time, and the
agent profiles them too (the idle line says how many).

4. With --churn SECONDS (that part only): a host that starts 200 short
   non-Python processes (/bin/true) and 2 short Python processes (0.3 s busy)
   a second: the agent's CPU + BPF time as % of a core (bar <= 0.2 %), how
   many of the Pythons it profiled (bar: all) and its RSS slope per hour
   (VmRSS every 10 s; bar: flat).

Usage: bench/bench_agent.py [--pystrobe build/pystrobe] [--python PY] [--pairs 5]
       [--idle 60] [--frequency HZ] [--churn SECONDS]
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import W, arg_parser, elapsed_of, free_port, interleaved, sysctl_bpf_stats

TICK = os.sysconf("SC_CLK_TCK")
N_BUSY = 20


def cpu_s(pid):
    """user + system seconds of pid."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def bpf_s(port):
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read()
    m = re.search(rb"\npystrobe_agent_bpf_seconds_total (\S+)", text)
    return float(m.group(1)) if m else 0.0


def hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024.0


def metric(port, name):
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read()
    m = re.search(rb"\npystrobe_agent_" + name.encode() + rb" (\S+)", text)
    return float(m.group(1)) if m else 0.0


LAST = {}


def forks():
    """Processes created on the host so far (/proc/stat)."""
    with open("/proc/stat") as f:
        return int(re.search(r"^processes (\d+)", f.read(), re.M).group(1))


def cost(agent, port, fn):
    """(agent CPU + BPF seconds, wall seconds) while fn() runs; the parts in LAST."""
    c0, b0, t0, f0 = cpu_s(agent.pid), bpf_s(port), time.time(), forks()
    p0 = metric(port, "processes_seen_total")
    fn()
    LAST.update(cpu=cpu_s(agent.pid) - c0, bpf=bpf_s(port) - b0,
                forks=(forks() - f0) / (time.time() - t0),
                new=metric(port, "processes_seen_total") - p0,
                live=metric(port, "processes"))
    return LAST["cpu"] + LAST["bpf"], time.time() - t0


def batch(py, iterations):
    """Run N_BUSY fixed_work.py at once; mean of their own elapsed times."""
    argv = [py, os.path.join(W, "fixed_work.py"), str(iterations), "17"]
    ps = [subprocess.Popen(argv, stdout=subprocess.PIPE, universal_newlines=True)
          for _ in range(N_BUSY)]
    times = [elapsed_of(p.communicate()[0]) for p in ps]
    return statistics.mean(times)


def start_agent(ps, tmp, port, freq):
    # period 5 s, not 15: every measured window holds period cuts (pessimistic x3)
    argv = [ps, "agent", "-q", "--dir", os.path.join(tmp, "profiles"), "--metrics-port",
            str(port), "--period", "5"]
    if freq:
        argv += ["--frequency", str(freq)]
    agent = subprocess.Popen(argv)
    for _ in range(100):
        try:
            bpf_s(port)
            return agent
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench_agent: the agent did not start")


def stop_agent(agent):
    agent.send_signal(signal.SIGTERM)
    agent.wait(timeout=60)


def profiled_batch(a, tmp, port):
    """(mean elapsed, agent core %, agent peak RSS MB) of one batch with the agent running."""
    agent = start_agent(a.pystrobe, tmp, port, a.frequency)
    try:
        time.sleep(2)
        out = []
        sec, wall = cost(agent, port, lambda: out.append(batch(a.python, a.iterations)))
        return out[0], 100.0 * sec / wall, hwm_mb(agent.pid)
    finally:
        stop_agent(agent)


def busy_pairs(a, tmp, port):
    """[(unprofiled, profiled, agent core %)] for interleaved pairs; the agent's peak RSS."""
    def show(i, u, prof):
        p, pct, _ = prof
        print("  pair %d: unprofiled %.3f s, profiled %.3f s, ratio %.4f, agent %.2f %% of a "
              "core" % (i + 1, u, p, p / u, pct))
        sys.stdout.flush()

    got = interleaved(a.pairs, lambda: batch(a.python, a.iterations),
                      lambda: profiled_batch(a, tmp, port), show)
    return [(u, p, pct) for u, (p, pct, _) in got], max(r for _, (_, _, r) in got)


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024.0


PY_SHORT = "import time\nt = time.time()\nwhile time.time() - t < 0.3: pass\n"


def churn_for(seconds, py, rate_other=200, rate_py=2, rss_of=None):
    """Start rate_other /bin/true and rate_py 0.3 s busy Pythons a second for seconds;
    (Pythons started, [(t, rss_of())] every 10 s)."""
    kids, nr_py, rss, t0 = [], 0, [], time.time()
    n_other = 0
    while True:
        now = time.time() - t0
        if now >= seconds:
            break
        while n_other < now * rate_other:
            kids.append(os.posix_spawn("/bin/true", ["true"], os.environ))
            n_other += 1
        while nr_py < now * rate_py:
            kids.append(os.posix_spawn(py, [py, "-c", PY_SHORT], os.environ))
            nr_py += 1
        if rss_of and (not rss or now - rss[-1][0] >= 10):
            rss.append((now, rss_of()))
        kids = [k for k in kids if os.waitpid(k, os.WNOHANG) == (0, 0)]
        time.sleep(0.002)
    for k in kids:
        os.waitpid(k, 0)
    time.sleep(1)  # the last Pythons are examined
    return nr_py, rss


def churn(a, tmp, port):
    """Agent cost on a host starting 200 short non-Python and 2 short Python processes/s."""
    agent = start_agent(a.pystrobe, tmp, port, a.frequency)
    try:
        time.sleep(3)
        # the same agent without the churn first: this host runs other work the agent
        # examines too (new programs, Pythons), the churn's share is the difference
        base_sec, base_wall = cost(agent, port, lambda: time.sleep(a.churn))
        base = dict(LAST)
        got = []
        sec, wall = cost(agent, port, lambda: got.append(
            churn_for(a.churn, a.python, rss_of=lambda: rss_mb(agent.pid))))
        nr_py, rss = got[0]
        rss.append((a.churn, rss_mb(agent.pid)))
    finally:
        stop_agent(agent)
    pct = 100.0 * sec / wall
    base_pct = 100.0 * base_sec / base_wall
    print("churn: without it, the same agent %.3f %% of a core (own CPU %.3f s, BPF %.3f s, "
          "host forks %.0f/s, %d new Pythons of others); with it %.3f %%: the churn's share "
          "%.3f %% of a core (bar <= 0.2 %%)" % (base_pct, base["cpu"], base["bpf"], base["forks"],
                                                 base["new"], pct, pct - base_pct))
    (t1, r1), (t2, r2) = rss[min(1, len(rss) - 2)], rss[-1]
    slope = (r2 - r1) / (t2 - t1) * 3600 if t2 > t1 else 0.0
    print("churn: the host forked %.0f processes/s for %.0f s; agent CPU + BPF %.3f s = %.3f %% "
          "of a core (bar <= 0.2 %%): own CPU %.3f s, BPF %.3f s; %d of %d short Pythons "
          "profiled (bar: all)" % (LAST["forks"], wall, sec, pct, LAST["cpu"], LAST["bpf"],
                                   LAST["new"], nr_py))
    print("churn: RSS %.1f MB at %.0f s, %.1f MB at %.0f s: %+.1f MB per hour extrapolated "
          "(bar: flat)" % (r1, t1, r2, t2, slope))
    return pct - base_pct <= 0.2 and LAST["new"] >= nr_py


def main():
    ap = arg_parser(sys.executable, 5)
    ap.add_argument("--idle", type=int, default=60)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--frequency", type=int, default=0, help="default: the agent's own")
    ap.add_argument("--churn", type=int, default=0,
                    help="seconds of process churn (200 non-Python + 2 Python/s) only")
    a = ap.parse_args()
    old = sysctl_bpf_stats("1")
    port = free_port()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if a.churn:
                ok = churn(a, tmp, port)
                print("bars: %s" % ("all met" if ok else "NOT all met"))
                return
            agent = start_agent(a.pystrobe, tmp, port, a.frequency)
            time.sleep(3)
            sec, wall = cost(agent, port, lambda: time.sleep(a.idle))
            idle_rss = hwm_mb(agent.pid)
            stop_agent(agent)
            idle = 100.0 * sec / wall
            print("idle host: agent CPU + BPF %.3f s over %.0f s = %.3f %% of a core "
                  "(bar <= 0.5 %%): own CPU %.3f s, BPF %.3f s; %d Python processes of "
                  "others profiled at the end, %d new ones during the run; the host forked "
                  "%.0f processes/s" % (sec, wall, idle, LAST["cpu"], LAST["bpf"],
                                        LAST["live"], LAST["new"], LAST["forks"]))
            if not a.pairs:
                return
            print("%d busy processes, %d pairs (python %s):" % (N_BUSY, a.pairs, a.python))
            pairs, rss = busy_pairs(a, tmp, port)
    finally:
        sysctl_bpf_stats(old)
    ratio = statistics.median(p / u for u, p, _ in pairs)
    busy = statistics.median(pct for _, _, pct in pairs)
    print("busy: agent CPU + BPF %.3f %% of a core (median; bar <= 2 %%), wall-time ratio "
          "%.4f = %+.2f %% (median of %d pairs; bar <= 1 %%)"
          % (busy, ratio, 100 * (ratio - 1), len(pairs)))
    print("RSS: peak %.1f MB (idle %.1f MB; bar <= 50 MB)" % (max(rss, idle_rss), idle_rss))
    ok = idle <= 0.5 and busy <= 2.0 and ratio <= 1.01 and max(rss, idle_rss) <= 50
    print("bars: %s" % ("all met" if ok else "NOT all met"))


if __name__ == "__main__":
    main()
