# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
sc_prod.py - issue 16: the outputs under production-style load. The
/metrics endpoint with 1,000 stalled clients, a client that reads one byte
a second and 50 scrapes a second; recordings of a day: zstd and gzip,
killed writers, full disks, replay open and seek times.
"""
import json
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time

import hlib as H
from hlib import *  # noqa: F401,F403 (the suite's shared vocabulary)


# ---- the exporter -----------------------------------------------------------------------

# Stalled clients in a process of their own (the harness' interpreter
# lock must not slow the scraper): each connects from its address, sends
# half a request, then one more header byte a second, and reconnects when
# tracetop drops it (half a second later) - a slowloris that defeats an
# idle timeout. On SIGTERM
# it prints what it saw as JSON.
STALLER = r"""
import json, resource, selectors, signal, socket, sys, time
port, n, addrs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 256, n + 256))
sel = selectors.DefaultSelector()
st = {"connects": 0, "drops": 0, "refused": 0, "max_open": 0}
conns = {}
again = []
stop = False
def on_term(*a):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
def open_one(i):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addrs[i % len(addrs)], 0))
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    except OSError:
        st["refused"] += 1
        s.close()
        return
    conns[s] = [i, 0]
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, i)
for i in range(n):
    open_one(i)
t_next = time.monotonic() + 1
while not stop:
    for key, ev in sel.select(0.2):
        s = key.fileobj
        i, sent = conns[s]
        dead = False
        if ev & selectors.EVENT_WRITE and sent == 0:
            try:
                s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: ")
                conns[s][1] = 1
                st["connects"] += 1
                sel.modify(s, selectors.EVENT_READ, i)
            except OSError:
                dead = True
        elif ev & selectors.EVENT_READ:
            try:
                dead = not s.recv(65536)
            except OSError:
                dead = True
        if dead:
            st["drops"] += conns[s][1]
            st["refused"] += not conns[s][1]
            sel.unregister(s)
            del conns[s]
            s.close()
            again.append((time.monotonic() + 0.5, i))
    while again and again[0][0] <= time.monotonic():
        open_one(again.pop(0)[1])
    st["max_open"] = max(st["max_open"], sum(1 for v in conns.values() if v[1]))
    if time.monotonic() >= t_next:
        t_next += 1
        for s, v in list(conns.items()):
            if v[1]:
                try:
                    s.send(b"a")
                except OSError:
                    pass
print(json.dumps(st), flush=True)
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def scrape(port, src="127.0.0.1", timeout=10.0):
    """one GET /metrics on a new connection; (seconds, status, bytes)"""
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(timeout)
    try:
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
                  b"Connection: close\r\n\r\n")
        buf = b""
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            buf += d
    except OSError:
        return time.monotonic() - t0, None, 0
    finally:
        s.close()
    dt = time.monotonic() - t0
    head, _, body = buf.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = None
    return dt, status, len(body)


def scrape_every(port, every, secs, src="127.0.0.1"):
    """scrapes on a fixed schedule; the list of (seconds, status, bytes)"""
    out = []
    t0 = time.monotonic()
    for i in range(int(secs / every)):
        left = t0 + i * every - time.monotonic()
        if left > 0:
            time.sleep(left)
        out.append(scrape(port, src))
    return out


def scrapes_ok(res):
    return [r for r in res if r[1] == 200 and r[2] > 0]


def exporter(port, delay="1"):
    tt = TT(["-d", delay, "--listen", f"127.0.0.1:{port}"], head=True)
    if not tt.wait_snaps(2, 20):
        raise RuntimeError(f"tracetop did not start: {tt.stderr()[:200]}")
    ok = H.wait_until(lambda: scrape(port)[1] == 200, 10)
    if not ok:
        raise RuntimeError("tracetop --listen never answered")
    return tt


def schedule_late(tt, t0, t1, delay=1.0):
    """the worst snapshot interval between t0 and t1 against the delay, as
    tracetop measured it (the harness' own clock is busy scraping)"""
    iv = tt.intervals(t0, t1)
    return max([abs(i - delay) for i in iv] or [0]), len(iv)


def stalled_row(label, addrs, n=1000, secs=60):
    port = free_port()
    tt = exporter(port)
    st = subprocess.Popen([sys.executable, "-c", STALLER, str(port), str(n)]
                          + addrs, stdout=subprocess.PIPE, text=True,
                          start_new_session=True)
    H.cleanups.append(lambda: st.poll() is None and st.kill())
    time.sleep(3)  # all of them connected and stalling
    res, cpu, t0, t1 = cpu_pct(tt, scrape_every, port, 1.0, secs)
    late, nsnap = schedule_late(tt, t0, t1)
    st.send_signal(signal.SIGTERM)
    try:
        out, _ = st.communicate(timeout=20)
        stats = json.loads(out.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        st.kill()
        stats = {}
    rc = tt.stop()
    good = scrapes_ok(res)
    lat = [r[0] for r in good]
    R.add(f"exporter: {n} stalled clients, {label}",
          f"{len(good)}/{len(res)} scrapes from 127.0.0.1 answered, p99 "
          f"{pct(lat, 99):.3f} s, max {max(lat or [0]):.3f} s; stallers "
          f"connected {stats.get('connects')} times, dropped "
          f"{stats.get('drops')}, refused {stats.get('refused')}, at most "
          f"{stats.get('max_open')} open; tracetop CPU {cpu:.0f}%, "
          f"intervals off by {late * 1000:.0f} ms at worst; exit {rc}",
          "every scrape answered, p99 <= 1 s, intervals 1 s +- 250 ms",
          len(good) == len(res) and pct(lat, 99) <= 1.0 and late <= 0.25
          and rc == 0)


def holds_peer(pid, peer):
    """tracetop still has a socket open to peer (ss: its fd, not the
    kernel's orphan that delivers what was written before the close)"""
    r = sh(["ss", "-tnpH", "dst", peer], timeout=10)
    return f"pid={pid}," in r.stdout


def slow_reader_row(secs=30):
    """a client that takes its response one byte a second"""
    port = free_port()
    tt = exporter(port)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(0.01)
    got, held = 0, None
    t0 = time.monotonic()
    res = []
    while time.monotonic() - t0 < secs:
        try:
            got += len(s.recv(1))
        except OSError:
            pass
        if held is None and not holds_peer(tt.pid, "127.0.0.2"):
            held = time.monotonic() - t0
        res.append(scrape(port))
        time.sleep(max(0, t0 + len(res) - time.monotonic()))
    s.close()
    rc = tt.stop()
    good = scrapes_ok(res)
    lat = [r[0] for r in good]
    R.add("exporter: a client reading 1 byte/s",
          f"{len(good)}/{len(res)} other scrapes answered, p99 "
          f"{pct(lat, 99):.3f} s; the slow reader got {got} bytes, "
          f"{'let go by tracetop after %.0f s' % held if held else 'held'}"
          f" {'' if held else 'for all of %d s' % secs}; exit {rc}",
          "every scrape answered, p99 <= 1 s, let go within 15 s",
          len(good) == len(res) and pct(lat, 99) <= 1.0 and held and
          held <= 15 and rc == 0)


def cpu_pct(tt, f, *args):
    """f(*args), and tracetop's CPU (user + system, % of one core) meanwhile"""
    c0, t0 = tt.cpu(), time.monotonic()
    out = f(*args)
    c1, t1 = tt.cpu(), time.monotonic()
    cpu = 100 * (c1["utime"] + c1["stime"] - c0["utime"] - c0["stime"]) / \
        (t1 - t0)
    return out, cpu, t0, t1


def rapid_row(rate=50, secs=60):
    """50 scrapes a second: tracetop's CPU, and its own schedule"""
    port = free_port()
    tt = exporter(port)
    _, idle, _, _ = cpu_pct(tt, time.sleep, 10)
    res, cpu, t0, t1 = cpu_pct(tt, scrape_every, port, 1.0 / rate, secs)
    late, nsnap = schedule_late(tt, t0, t1)
    rc = tt.stop()
    good = scrapes_ok(res)
    lat = [r[0] for r in good]
    size = good[0][2] if good else 0
    R.add(f"exporter: {rate} scrapes/s for {secs} s",
          f"{len(good)}/{len(res)} answered ({size // 1024} KiB each), p99 "
          f"{pct(lat, 99) * 1000:.0f} ms; tracetop -j -d 1 CPU {cpu:.1f}% "
          f"of one core ({idle:.1f}% unscraped); {nsnap} intervals, off by "
          f"{late * 1000:.0f} ms at worst; exit {rc}",
          "every scrape answered, CPU <= 15%, intervals 1 s +- 250 ms",
          len(good) == len(res) and cpu <= 15 and late <= 0.25 and rc == 0)


def sc_exporter():
    # 127.0.0.2 and up: 1,000 addresses of 127.0.0.0/8 (all on lo)
    many = [f"127.0.{i // 250}.{2 + i % 250}" for i in range(1000)]
    stalled_row("1 per address (127.0.0.2 and up)", many)
    stalled_row("all from 127.0.0.2", ["127.0.0.2"])
    slow_reader_row()
    rapid_row()
