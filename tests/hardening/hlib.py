# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
hlib.py - what every hardening scenario shares: paths and limits, process
and BPF-object probes, tracetop in JSON mode and in tmux, the result rows.
run sets TMP (the suite's temporary folder) before any scenario starts.
"""
import argparse
import atexit
import json
import os
import random
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))
TRACETOP = os.path.join(ROOT, "tracetop")
WL = os.path.join(ROOT, "build")
RESULTS = os.path.join(ROOT, "tests", "hardening", "results.txt")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus", "replay")
CRASHES = os.path.join(ROOT, "tests", "fuzz", "crashes")
MiB = 1024 * 1024
RSS_LIMIT = 64 * MiB
PAGE = os.sysconf("SC_PAGE_SIZE")
HZ = os.sysconf("SC_CLK_TCK")
T_START = time.monotonic()

cleanups = []        # run at exit, last first
TMP = None           # the suite's temporary folder
soak = None          # the soak instance (sc_load.Soak), when it runs


def log(msg):
    t = time.monotonic() - T_START
    print(f"[{t:6.1f}s] {msg}", file=sys.stderr, flush=True)


@atexit.register
def _cleanup():
    while cleanups:
        fn = cleanups.pop()
        try:
            fn()
        except Exception as e:  # keep cleaning
            log(f"cleanup: {e}")


def _on_signal(sig, frame):
    sys.exit(128 + sig)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGHUP, _on_signal)


def sh(cmd, timeout=60, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), text=True,
                          capture_output=True, timeout=timeout, **kw)


def pct(vals, q):
    """q-th percentile (0..100), nearest rank; 0 for no values"""
    if not vals:
        return 0.0
    v = sorted(vals)
    k = max(0, min(len(v) - 1, int(round(q / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def mib(b):
    return f"{b / MiB:.1f} MiB"


def wait_until(cond, secs, step=0.1):
    end = time.monotonic() + secs
    while True:
        v = cond()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)


# ---- processes ---------------------------------------------------------------

def proc_status(pid):
    """VmRSS and VmHWM in bytes, utime and stime in seconds; None if gone"""
    try:
        with open(f"/proc/{pid}/status") as f:
            st = f.read()
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    out = {}
    for k in ("VmRSS", "VmHWM"):
        m = re.search(rf"^{k}:\s+(\d+) kB", st, re.M)
        out[k] = int(m.group(1)) * 1024 if m else 0
    fields = stat[stat.rindex(")") + 2:].split()
    out["utime"] = int(fields[11]) / HZ
    out["stime"] = int(fields[12]) / HZ
    return out


def bpf_fd_ids(pid):
    """(prog ids, map ids, map memlock bytes) of the BPF objects pid holds"""
    progs, maps, memlock = set(), set(), 0
    try:
        fds = os.listdir(f"/proc/{pid}/fdinfo")
    except OSError:
        return progs, maps, 0
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                info = f.read()
        except OSError:
            continue
        m = re.search(r"^prog_id:\s+(\d+)", info, re.M)
        if m:
            progs.add(int(m.group(1)))
        m = re.search(r"^map_id:\s+(\d+)", info, re.M)
        if m and int(m.group(1)) not in maps:
            maps.add(int(m.group(1)))
            ml = re.search(r"^memlock:\s+(\d+)", info, re.M)
            memlock += int(ml.group(1)) if ml else 0
    return progs, maps, memlock


def bpf_alive_ids():
    """ids of every BPF program and map the kernel has now"""
    out = []
    for kind in ("prog", "map"):
        r = sh(["bpftool", "-j", kind, "show"], timeout=30)
        try:
            out.append({o["id"] for o in json.loads(r.stdout or "[]")})
        except ValueError:
            out.append(set())
    return out[0], out[1]


def bpf_left(progs, maps, secs=5):
    """of these ids, those still in the kernel after up to secs"""
    left = (set(), set())

    def gone():
        nonlocal left
        p, m = bpf_alive_ids()
        left = (progs & p, maps & m)
        return not left[0] and not left[1]
    wait_until(gone, secs, 0.3)
    return left


def fmt_left(left):
    p, m = left
    return f"{len(p)} progs, {len(m)} maps left"


class Workload:
    """A tests/workloads program under the protocol of wl.h."""

    def __init__(self, name, *args):
        self.name = name
        self.err = tempfile.TemporaryFile(mode="w+", dir=TMP)
        self.err_text = ""
        self.p = subprocess.Popen([os.path.join(WL, "wl-" + name)] +
                                  [str(a) for a in args],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.err,
                                  text=True, start_new_session=True)
        cleanups.append(self.kill)
        line = self.line(30)
        if not line or not line.startswith("pid"):
            raise RuntimeError(f"wl-{name}: no pid line ({self.stderr()})")
        self.pids = [int(x) for x in line.split()[1:]]
        self.pid = self.pids[0]

    def go(self):
        self.p.stdin.write("g")
        self.p.stdin.flush()

    def line(self, secs):
        # poll, not select: the soak makes hundreds of workloads, and
        # select() refuses descriptors past 1023
        po = select.poll()
        po.register(self.p.stdout, select.POLLIN | select.POLLHUP)
        r = po.poll(secs * 1000)
        return self.p.stdout.readline().strip() if r else None

    def result(self, secs):
        line = self.line(secs)
        if line is None:
            raise RuntimeError(f"wl-{self.name}: no result in {secs}s "
                               f"({self.stderr()})")
        try:
            self.p.wait(timeout=secs)
        except subprocess.TimeoutExpired:
            pass
        try:
            return json.loads(line)
        except ValueError:
            raise RuntimeError(f"wl-{self.name}: bad result {line[:200]!r}"
                               f" ({self.stderr()})")
        finally:
            self.close()

    def stderr(self):
        if self.err.closed:
            return self.err_text
        self.err.seek(0)
        return self.err.read().strip()[-300:]

    def close(self):
        """its pipes and stderr file: descriptors must not pile up"""
        if not self.err.closed:
            self.err_text = self.stderr()
        for f in (self.p.stdin, self.p.stdout, self.err):
            try:
                f.close()
            except OSError:
                pass

    def kill(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except OSError:
                pass
            self.p.wait()
        self.close()


def run_wl(name, *args, secs=60):
    w = Workload(name, *args)
    try:
        w.go()
        return w.result(secs)
    finally:
        w.kill()
        try:
            cleanups.remove(w.kill)
        except ValueError:
            pass


# ---- tracetop in JSON mode -------------------------------------------------------

def big_pipe(f):
    """1 MiB pipe buffer: a snapshot fits while the reader is busy"""
    try:
        import fcntl
        fcntl.fcntl(f.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ
    except OSError:
        pass


def json_head(line):
    """the top-level fields before the process list, cheaply"""
    i = line.find(',"processes":')
    return json.loads(line[:i] + "}") if i > 0 else json.loads(line)


class TT:
    """
    tracetop -j ARGS with its snapshots streamed to on_snap (parsed; or
    only the fields before "processes" with head=True). Keeps the head
    fields of every snapshot, samples its memory, and remembers the ids of
    every BPF object it held.
    """

    def __init__(self, args, on_snap=None, head=False, env=None,
                 sample=0.5):
        self.on_snap, self.head_only = on_snap, head
        self.heads = []          # (monotonic time, head dict)
        self.samples = []        # (monotonic time, proc_status, memlock)
        self.progs, self.maps = set(), set()
        self.errf = tempfile.TemporaryFile(mode="w+", dir=TMP)
        e = dict(os.environ)
        e.update(env or {})
        self.p = subprocess.Popen([TRACETOP, "-j"] + args,
                                  stdout=subprocess.PIPE, stderr=self.errf,
                                  stdin=subprocess.DEVNULL, env=e, cwd=TMP,
                                  start_new_session=True)
        self.pid = self.p.pid
        cleanups.append(self.kill)
        big_pipe(self.p.stdout)
        self.cb_error = None
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.sampling = True
        self.sampler = threading.Thread(target=self._sample, args=(sample,),
                                        daemon=True)
        self.sampler.start()

    def _read(self):
        for raw in self.p.stdout:
            now = time.monotonic()
            line = raw.decode("utf-8", "replace")
            try:
                if self.head_only or not self.on_snap:
                    snap = None
                    head = json_head(line)
                else:
                    snap = json.loads(line)
                    head = snap
                h = {k: head.get(k) for k in ("interval_s", "lost", "cost",
                                              "probes", "time")}
                with self.lock:
                    self.heads.append((now, h))
                if self.on_snap and snap is not None:
                    self.on_snap(snap)
            except Exception as e:  # keep reading: a full pipe stalls it
                self.cb_error = self.cb_error or f"{type(e).__name__}: {e}"

    def _sample(self, every):
        while self.sampling and self.p.poll() is None:
            st = proc_status(self.pid)
            pr, mp, ml = bpf_fd_ids(self.pid)
            if st:
                self.progs |= pr
                self.maps |= mp
                with self.lock:
                    self.samples.append((time.monotonic(), st, ml))
            time.sleep(every)

    def n(self):
        with self.lock:
            return len(self.heads)

    def wait_snaps(self, n, secs):
        return wait_until(lambda: self.n() >= n or self.p.poll() is not None,
                          secs, 0.05) and self.n() >= n

    def last(self):
        with self.lock:
            return self.heads[-1][1] if self.heads else {}

    def heads_copy(self):
        with self.lock:
            return list(self.heads)

    def intervals(self, t0=0, t1=1e18):
        with self.lock:
            return [h["interval_s"] for t, h in self.heads[1:]
                    if t0 <= t <= t1 and h.get("interval_s") is not None]

    def max_mem(self, key="VmHWM"):
        with self.lock:
            return max([s[key] for _, s, _ in self.samples] or [0])

    def cpu(self):
        return proc_status(self.pid)

    def stop(self, sig=signal.SIGINT, secs=15):
        """signal, wait; exit status (None if it had to be killed)"""
        self.sampling = False
        if self.p.poll() is None:
            try:
                os.kill(self.pid, sig)
            except OSError:
                pass
        try:
            rc = self.p.wait(timeout=secs)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = None
        self.reader.join(10)
        self.err_text = self.stderr()
        for f in (self.p.stdout, self.errf):
            try:
                f.close()
            except OSError:
                pass
        return rc

    def stderr(self):
        if self.errf.closed:
            return self.err_text
        self.errf.seek(0)
        return self.errf.read()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


# ---- tracetop's screen in tmux -------------------------------------------------

class Tmux:
    """tracetop in a tmux pane of its own server (socket tt-harden-NAME)."""

    count = 0

    def __init__(self, name):
        # a socket of its own each time: a new server must not meet the
        # previous one exiting
        Tmux.count += 1
        self.sock = f"tt-harden-{name}-{os.getpid()}-{Tmux.count}"
        self.home = os.path.join(TMP, f"home-{name}")
        os.makedirs(self.home, exist_ok=True)
        cleanups.append(self.kill)

    def tm(self, *args, timeout=20):
        return sh(["tmux", "-L", self.sock, "-f", "/dev/null"] +
                  list(args), timeout=timeout)

    def start(self, args, env=None, x=120, y=40, cwd=None):
        self.kill()
        envs = {"HOME": self.home, "LANG": "C.UTF-8",
                "TERM": "xterm-256color"}
        envs.update(env or {})
        cmd = ("cd " + shlex.quote(cwd or TMP) + " && env " +
               " ".join(f"{k}={shlex.quote(v)}" for k, v in envs.items()) +
               " " + shlex.quote(TRACETOP) + " " +
               " ".join(shlex.quote(a) for a in args) +
               "; echo tracetop-exited-$?; sleep 600")
        r = self.tm("new-session", "-d", "-s", "tt", "-x", str(x), "-y",
                    str(y), cmd)
        if r.returncode:
            raise RuntimeError(f"tmux: {r.stderr.strip()}")
        self.tt_pid = wait_until(self._find_pid, 10)

    def _find_pid(self):
        r = self.tm("display", "-p", "-t", "tt", "#{pane_pid}")
        try:
            shell = int(r.stdout.strip())
        except ValueError:
            return None
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            if s[s.index("(") + 1:s.rindex(")")] == "tracetop" and \
                    int(s[s.rindex(")") + 2:].split()[1]) == shell:
                return int(d)
        return None

    def capture(self):
        return self.tm("capture-pane", "-p", "-t", "tt").stdout

    def header(self):
        """the header box, its lines joined: its meters flow onto the
        next line when the values before them grow, and a status line may
        push them down"""
        lines = self.capture().split("\n")[1:]
        box = []
        for line in lines:
            if re.match(r"\s*PID\s", line) or len(box) == 6:
                break
            box.append(line.strip())
        return " ".join(box)

    def wait_for(self, text, secs):
        return wait_until(lambda: text in self.capture(), secs, 0.2)

    def keys(self, *k):
        self.tm("send-keys", "-t", "tt", *k)
        time.sleep(0.3)

    def alive(self):
        return bool(self.tt_pid) and os.path.exists(f"/proc/{self.tt_pid}") \
            and proc_status(self.tt_pid) is not None

    def status_line(self):
        lines = self.capture().rstrip("\n").split("\n")
        return lines[-1] if lines else ""

    def quit(self, secs=10):
        self.keys("q")
        return self.wait_for("tracetop-exited-0", secs)

    def kill(self):
        sh(["tmux", "-L", self.sock, "kill-server"], timeout=20)
        sock = os.path.join(f"/tmp/tmux-{os.getuid()}", self.sock)
        try:
            os.unlink(sock)
        except OSError:
            pass


# ---- results ---------------------------------------------------------------------

class Rows:
    def __init__(self):
        self.rows = []

    def add(self, scenario, measured, limit, ok):
        self.rows.append((scenario, measured, limit, bool(ok)))
        log(f"{'PASS' if ok else 'FAIL'}  {scenario}: {measured}  "
            f"[limit: {limit}]")


R = Rows()


def table(rows, runtime):
    w = [max(len(r[i]) for r in rows + [("scenario", "measured", "limit")])
         for i in range(3)]
    w[1] = min(w[1], 70)
    w[0] = min(w[0], 44)
    out = []
    hdr = ("scenario", "what was measured", "limit", "result")
    line = f"{hdr[0]:<{w[0]}} | {hdr[1]:<{w[1]}} | {hdr[2]:<{w[2]}} | {hdr[3]}"
    out.append(line)
    out.append("-" * len(line))
    for s, m, l, ok in rows:
        # long measurements wrap onto continuation lines
        parts = wrap(m, w[1])
        out.append(f"{s:<{w[0]}} | {parts[0]:<{w[1]}} | {l:<{w[2]}} | "
                   f"{'pass' if ok else 'FAIL'}")
        for p in parts[1:]:
            out.append(f"{'':<{w[0]}} | {p:<{w[1]}} | {'':<{w[2]}} |")
    npass = sum(r[3] for r in rows)
    out.append("")
    out.append(f"{npass}/{len(rows)} rows pass; total runtime "
               f"{runtime / 60:.1f} min ({runtime:.0f} s)")
    return "\n".join(out)


def wrap(text, width):
    words, lines, cur = text.split(" "), [], ""
    for wd in words:
        if cur and len(cur) + 1 + len(wd) > width:
            lines.append(cur)
            cur = wd
        else:
            cur = f"{cur} {wd}" if cur else wd
    lines.append(cur)
    return lines


# ---- shared fixtures ---------------------------------------------------------------

_recording = None


def recording():
    """a small good recording (JSON Lines), made once"""
    global _recording
    if _recording:
        return _recording
    path = os.path.join(TMP, "good.jsonl")
    with open(path, "w") as f:
        r = subprocess.run([TRACETOP, "-j", "-n", "5", "-d", "0.2"],
                           stdout=f, stderr=subprocess.PIPE, text=True,
                           timeout=60, cwd=TMP)
    if r.returncode:
        raise RuntimeError(f"recording: {r.stderr.strip()}")
    _recording = path
    return path


def mount_tmpfs(name, size=None, ro=False):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    opts = [f"size={size}"] if size else []
    r = sh(["mount", "-t", "tmpfs", "-o", ",".join(opts + ["mode=0755"]),
            "tmpfs", d])
    if r.returncode:
        raise RuntimeError(f"mount {d}: {r.stderr.strip()}")
    cleanups.append(lambda: sh(["umount", "-l", d]))
    return d


def ro_bind(src, name):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    r = sh(["mount", "--bind", src, d])
    if r.returncode:
        raise RuntimeError(f"bind {d}: {r.stderr.strip()}")
    cleanups.append(lambda: sh(["umount", "-l", d]))
    r = sh(["mount", "-o", "remount,bind,ro", d])
    if r.returncode:
        raise RuntimeError(f"remount ro {d}: {r.stderr.strip()}")
    return d


def replay_json(path):
    """tracetop --replay path -j: (exit status, parsed lines, stderr)"""
    r = subprocess.run([TRACETOP, "--replay", path, "-j"],
                       capture_output=True, text=True, timeout=60)
    snaps = []
    for l in r.stdout.splitlines():
        try:
            snaps.append(json.loads(l))
        except ValueError:
            snaps.append(None)
    return r.returncode, snaps, r.stderr


def same_records(a, b):
    """the records of two recordings agree: times, processes and counts"""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is None or y is None or x["time"] != y["time"]:
            return False
        if [p["pid"] for p in x["processes"]] != \
                [p["pid"] for p in y["processes"]]:
            return False
        if [p["syscalls"]["count"] for p in x["processes"]] != \
                [p["syscalls"]["count"] for p in y["processes"]]:
            return False
    return True


def one_line(s):
    return len([l for l in s.splitlines() if l.strip()]) == 1


def crashed(rc):
    return rc is None or rc < 0 or rc >= 128


def snap_proc(snap, pid):
    for p in snap.get("processes", []):
        if p["pid"] == pid:
            return p
    return None


def start_ticks_of(pid):
    """a process's start time in clock ticks after boot (/proc stat field
    22, what tracetop's start_ticks is); None if it is gone"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2:].split()[19])


def getppid_of(p):
    return p["syscalls"]["by_name"].get("getppid", {}).get("count", 0)
