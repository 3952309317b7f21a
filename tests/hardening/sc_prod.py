# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
sc_prod.py - issue 16: the outputs under production-style load. The
/metrics endpoint with 1,000 stalled clients, a client that reads one byte
a second and 50 scrapes a second; recordings of a day: zstd and gzip,
killed writers, full disks, replay open and seek times.
"""
import json
import re
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
    # the last time tracetop itself held the connection: a response the
    # kernel's socket buffers take whole is handed over at once, and the
    # kernel, not tracetop, then holds it for the reader
    got, held, holding = 0, 0.0, True
    t0 = time.monotonic()
    res = []
    while time.monotonic() - t0 < secs:
        try:
            got += len(s.recv(1))
        except OSError:
            pass
        holding = holds_peer(tt.pid, "127.0.0.2")
        if holding:
            held = time.monotonic() - t0
        res.append(scrape(port))
        time.sleep(max(0, t0 + len(res) - time.monotonic()))
    s.close()
    rc = tt.stop()
    good = scrapes_ok(res)
    lat = [r[0] for r in good]
    R.add("exporter: a client reading 1 byte/s",
          f"{len(good)}/{len(res)} other scrapes answered, p99 "
          f"{pct(lat, 99):.3f} s; the slow reader got {got} bytes; "
          f"tracetop {'still held it after %d s' % secs if holding else 'held it %.1f s at most' % held}"
          f"; exit {rc}",
          "every scrape answered, p99 <= 1 s, the reader answered, let go "
          "within 15 s", len(good) == len(res) and pct(lat, 99) <= 1.0 and
          got > 0 and not holding and held <= 15 and rc == 0)

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


# ---- recordings ----------------------------------------------------------------------

RECBENCH = os.path.join(WL, "recbench")
DAY = 86400
# the host's own processes, before the suite's soak and scenarios began
HOST_PIDS = {int(d) for d in os.listdir("/proc") if d.isdigit()}


def sleepers(n=1000):
    """n idle processes in a session of their own, until the suite ends;
    gives the function that kills them and their session id"""
    p = subprocess.Popen(["sh", "-c", f"for i in $(seq {n}); do sleep 7200 &"
                          " done; wait"], start_new_session=True)

    def kill():
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()
    H.cleanups.append(kill)
    H.wait_until(lambda: len(os.listdir("/proc")) > n, 30)
    return kill, p.pid


def in_session(pid, sid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[3]) == sid
    except (OSError, ValueError, IndexError):
        return False


def changed_per_snapshot(path):
    """processes whose record differs from the snapshot before, on average"""
    cat = "zstdcat" if path.endswith(".zst") else "zcat"
    r = subprocess.run([cat, path], capture_output=True, timeout=300)
    prev, changed, n = None, 0, 0
    for line in r.stdout.splitlines():
        procs = {p["pid"]: json.dumps(p, sort_keys=True)
                 for p in json.loads(line)["processes"]}
        if prev is not None:
            changed += sum(1 for k, v in procs.items() if prev.get(k) != v)
            n += 1
        prev = procs
    return changed / n if n else 0


def bytes_per_day_row(secs=100):
    """
    1,000 idle processes recorded as zstd and gzip. A real recording says
    what this machine costs (the soak and the other scenarios keep tens of
    processes busy here); the bound is checked on an hour generated from
    its last snapshot by bench/recbench.c, where only tracetop and a dozen
    kernel threads change each second, as on an idle host.
    """
    d = os.path.join(H.TMP, "perday")
    os.makedirs(d, exist_ok=True)
    # a quiet host: the soak's own load would be most of what changes
    if H.soak:
        H.soak.pause()
    stop, sid = sleepers()
    crowd = {int(d) for d in os.listdir("/proc")
             if d.isdigit() and in_session(int(d), sid)}
    runs = {}
    for ext in ("zst", "gz"):
        path = os.path.join(d, f"rec.jsonl.{ext}")
        runs[ext] = (path, subprocess.Popen(
            [TRACETOP, "--headless", "-d", "1", "-n", str(secs), "--record",
             path], stderr=subprocess.PIPE, text=True))
    out = {}
    for ext, (path, p) in runs.items():
        _, err = p.communicate(timeout=secs + 60)
        rc, snaps, _ = replay_json(path)
        size = os.path.getsize(path)
        out[ext] = (p.returncode, err.strip(), rc, len(snaps), size,
                    size * DAY / max(1, len(snaps)))
    stop()
    if H.soak:
        H.soak.resume()
    changed = changed_per_snapshot(runs["zst"][0])
    last = snaps[-1] if snaps and snaps[-1] else {"processes": []}
    nproc = len(last["processes"])
    z, g = out["zst"], out["gz"]
    R.add("recording: 1,000 idle processes, real",
          f"{secs} snapshots of {nproc} processes, {changed:.0f} changed a "
          f"second: zstd {z[4] / max(1, z[3]) / 1024:.1f} KiB a snapshot "
          f"(= {z[5] / 1e6:.0f} MB a day), gzip "
          f"{g[4] / max(1, g[3]) / 1024:.1f} KiB ({g[5] / 1e6:.0f} MB); "
          f"exit {z[0]}/{g[0]}, replay {z[3]}/{g[3]} records",
          "every snapshot replays (bytes: as this machine is)",
          z[0] == 0 and g[0] == 0 and z[3] == secs and g[3] == secs and
          not z[1] and not g[1])
    tpl = os.path.join(d, "template.json")
    with open(tpl, "w") as f:
        # an idle host: its own processes and the 1,000 sleepers; not the
        # soak's load, nor what other scenarios left, nor the exits of the
        # moment (a template of 2,421 processes measured this machine)
        last["processes"] = [p for p in last["processes"]
                             if not p.get("exited") and
                             (p["pid"] in crowd or p["pid"] in HOST_PIDS)]
        json.dump(last, f, separators=(",", ":"))
        f.write("\n")
    gen = {}
    for ext in ("zst", "gz"):
        r = sh([RECBENCH, "gen", tpl, os.path.join(d, f"hour.jsonl.{ext}"),
                "3600"], timeout=900)
        if r.returncode:
            raise RuntimeError(f"recbench gen: {r.stderr.strip()}")
        gen[ext] = json.loads(r.stdout)["bytes"] * 24
    R.add("recording: a day at 1 s, 1,000 idle processes (generated)",
          f"an hour of snapshots of {len(last['processes'])} processes "
          f"({len(crowd)} sleepers) made by recbench from"
          f" the last one above, times 24: zstd {gen['zst'] / 1e6:.0f} MB "
          f"a day, gzip {gen['gz'] / 1e6:.0f} MB",
          "zstd <= 250 MB a day", gen["zst"] <= 250e6)


def stream_until(args, n, secs=60):
    """tracetop -j ARGS, killed with SIGKILL after n snapshots on stdout"""
    p = subprocess.Popen([TRACETOP, "-j"] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    got = 0
    t0 = time.monotonic()
    while got < n and time.monotonic() - t0 < secs:
        if not p.stdout.readline():
            break
        got += 1
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    p.stdout.close()
    return got


def tool_ok(path):
    """zstd -t or gzip -t: the file is whole for the standard tools"""
    tool = "zstd" if path.endswith(".zst") else "gzip"
    return sh([tool, "-t", "-q", path]).returncode == 0


def killed_row(ext):
    """kill -9 mid-recording, twice; a clean run after"""
    path = os.path.join(H.TMP, f"killed.jsonl.{ext}")
    seen = []
    for _ in range(2):
        seen.append(stream_until(["-d", "0.2", "--record", path], 15))
    _, snaps, _ = replay_json(path)
    after_kill, tool_cut = len(snaps), tool_ok(path)
    cat = sh(["zstdcat" if ext == "zst" else "zcat", path], timeout=60)
    tool_lines = cat.stdout.count("\n")
    r = record_run3(path, 5)
    rc, snaps, err = replay_json(path)
    times = [s["time"] for s in snaps if s]
    R.add(f"recording .{ext}: kill -9 twice, then a clean run",
          f"printed {seen[0]}+{seen[1]} snapshots before each kill; replay"
          f" reads {after_kill} after them; a 5-snapshot run appending: "
          f"exit {r.returncode}, replay exit {rc}, {len(snaps)} records, in"
          f" order {times == sorted(times)}, {ext} -t whole {tool_ok(path)}"
          f" (after the kills {tool_cut}, {ext}cat printed {tool_lines})",
          "every printed snapshot replays (+1 at most per kill), also "
          f"with {ext}cat; the file whole again",
          sum(seen) <= after_kill <= sum(seen) + 2 and
          tool_lines == after_kill and
          r.returncode == 0 and rc == 0 and len(snaps) == after_kill + 5
          and times == sorted(times) and tool_ok(path))


def record_run3(path, n):
    return subprocess.run([TRACETOP, "-j", "-d", "0.2", "-n", str(n),
                           "--record", path], capture_output=True,
                          text=True, timeout=60)


def full_disk_row():
    full = mount_tmpfs("full-zst", size="128k")
    path = os.path.join(full, "rec.jsonl.zst")
    r = record_run3(path, 60)
    rc, snaps, rerr = replay_json(path)
    R.add("recording .zst to a disk that fills",
          f"exit {r.returncode}, stderr {r.stderr.strip()[:70]!r}; "
          f"zstd -t whole {tool_ok(path)}; --replay -j: exit {rc}, "
          f"{len(snaps)} records, stderr {rerr.strip()[:40]!r}",
          "message, replay shows the whole records, zstd -t passes",
          "No space left" in r.stderr and one_line(r.stderr) and rc == 0
          and len(snaps) >= 1 and all(snaps) and tool_ok(path) and
          not crashed(r.returncode))


def seek_stats(path):
    r = sh([RECBENCH, "seek", path, "20"], timeout=600)
    if r.returncode:
        raise RuntimeError(f"recbench seek {path}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def goto_in_tui(path, hhmm):
    """the screen on a day's recording: g HH:MM, and how long it took"""
    t = Tmux("dayreplay")
    t.start(["--replay", path], env={"TZ": "UTC"})
    ok = t.wait_for("REPLAY", 20)
    t.keys("g")
    t.tm("send-keys", "-t", "tt", hhmm)
    t0 = time.monotonic()
    t.tm("send-keys", "-t", "tt", "Enter")
    # the tab line shows the record's time of day after its position
    at = re.compile(r"REPLAY \d+/\d+ +" + hhmm + r":00 ")
    moved = H.wait_until(lambda: at.search(t.capture().split("\n")[0]),
                         10, 0.02)
    dt = time.monotonic() - t0
    q = t.quit()
    t.kill()
    return ok and moved, dt, q


def harness_start_ticks():
    """when this harness started, in /proc's start_ticks (1/100 s since
    boot, the clock of the snapshot's start_ticks)"""
    with open("/proc/self/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[19])


def day_replay_row():
    """a generated day at 1 s: opens, moves, memory. gzip takes ten
    minutes to make a day of this machine's snapshots: six hours of it
    (bench/recordings makes whole days of both)"""
    d = os.path.join(H.TMP, "day")
    os.makedirs(d, exist_ok=True)
    tpl = os.path.join(d, "template.json")
    with open(tpl, "w") as f:
        r = subprocess.run([TRACETOP, "-j", "-n", "2", "-d", "0.5"],
                           stdout=subprocess.PIPE, text=True, timeout=60)
        snap = json.loads(r.stdout.splitlines()[-1])
        # the processes that live on, not the exits of whatever ran just
        # before (the soak's forks left 1,838 in one snapshot: 2.1 MB a
        # record, a day that took recbench more than its 30 minutes), nor
        # what the harness itself started (another scenario's 1,000
        # sleepers made records of 1,159 KiB and the run 35 min longer)
        since = harness_start_ticks()
        snap["processes"] = [p for p in snap["processes"]
                             if not p.get("exited") and
                             p.get("start_ticks", 0) < since]
        f.write(json.dumps(snap) + "\n")
    for ext, hours in (("zst", 24), ("gz", 6)):
        day, hour = (os.path.join(d, f"{n}.jsonl.{ext}")
                     for n in ("day", "hour"))
        t0 = time.monotonic()
        g = sh([RECBENCH, "gen", tpl, day, str(hours * 3600)], timeout=1800)
        sh([RECBENCH, "gen", tpl, hour, "3600"], timeout=600)
        gen_s = time.monotonic() - t0
        if g.returncode:
            raise RuntimeError(f"recbench gen: {g.stderr.strip()}")
        gen = json.loads(g.stdout)
        s_day, s_hour = seek_stats(day), seek_stats(hour)
        t0 = time.monotonic()
        r = subprocess.run([TRACETOP, "--replay", day, "-j", "-n", "1"],
                           capture_output=True, timeout=120)
        first = time.monotonic() - t0
        hhmm = f"{hours // 2:02d}:00"
        moved, g_s, q = goto_in_tui(day, hhmm)
        worst = max(s_day[k][1] for k in ("goto_ms", "minute_fwd_ms",
                                            "minute_back_ms"))
        grow = (s_day["hwm_kb"] - s_hour["hwm_kb"]) / 1024
        R.add(f"replay of {hours} hours of .{ext} recording",
              f"{s_day['records']} records of {gen['line_bytes'] // 1024} "
              f"KiB, {gen['bytes'] / 1e6:.0f} MB (made in {gen_s:.0f} s): "
              f"tracetop --replay -j -n 1 {first:.2f} s (exit "
              f"{r.returncode}), open {s_day['open_ms']:.0f} ms; g "
              f"{s_day['goto_ms'][0]:.0f}/{s_day['goto_ms'][1]:.0f} ms, }} "
              f"{s_day['minute_fwd_ms'][1]:.0f}, {{ "
              f"{s_day['minute_back_ms'][1]:.0f} ms at worst; peak RSS "
              f"{s_day['hwm_kb'] / 1024:.1f} MiB, {grow:+.1f} MiB against "
              f"an hour's; the screen: g {hhmm} shown in {g_s:.2f} s "
              f"{'' if moved else 'NOT'}",
              "open <= 2 s, g { } <= 200 ms, memory as for an hour (+4 MiB)",
              r.returncode == 0 and first <= 2 and worst <= 200 and
              grow <= 4 and moved and g_s <= 1 and q)
        for p in (day, hour):
            for f in (p, p + ".idx"):
                os.unlink(f)


def sc_recordings():
    for ext in ("zst", "gz"):
        killed_row(ext)
    full_disk_row()
    day_replay_row()
    bytes_per_day_row()
