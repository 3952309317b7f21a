# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
sc_faults.py - terminal faults, kernel faults (TRACETOP_FAULTS), file
faults (full and read-only disks, symlinks, cut recordings), exit paths.
"""
import argparse
import atexit
import gzip
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

import hlib as H
from hlib import *  # noqa: F401,F403 (the suite's shared vocabulary)


# ---- terminal faults ------------------------------------------------------------

def screen_ok(scr, cols, rows):
    lines = scr.rstrip("\n").split("\n")
    return ("1 Processes" in lines[0] and "PID USER" in scr and
            "F1Help" in lines[-1] and len(lines) == rows and
            all(len(l) <= cols for l in lines))


def sc_terminal():
    name = "terminal"
    ui = Tmux("term")
    ui.start(["-d", "0.5"])
    if not ui.wait_for("PID USER", 20):
        raise RuntimeError("TUI did not start")
    pid = ui.tt_pid
    progs, maps, _ = bpf_fd_ids(pid)
    # resize storm: 300 sizes in a few batches of tmux commands
    rnd = random.Random(6)
    t0 = time.monotonic()
    errs = 0
    for _ in range(6):  # bursts: 50 sizes in one tmux command
        cmd = []
        for _ in range(50):
            cmd += ["resize-window", "-t", "tt", "-x",
                    str(rnd.randint(1, 250)), "-y", str(rnd.randint(1, 80)),
                    ";"]
        errs += ui.tm(*cmd[:-1]).returncode != 0
    for _ in range(100):  # and one at a time, with redraws between
        errs += ui.tm("resize-window", "-t", "tt", "-x",
                      str(rnd.randint(1, 250)), "-y",
                      str(rnd.randint(1, 80))).returncode != 0
        time.sleep(0.01)
    took = time.monotonic() - t0
    ui.tm("resize-window", "-t", "tt", "-x", "120", "-y", "40")
    ok = wait_until(lambda: screen_ok(ui.capture(), 120, 40), 5)
    R.add(name, f"400 resizes (1x1 to 250x80) in {took:.1f} s, then "
          f"120x40: table, header and key bar right {bool(ok)}, alive "
          f"{ui.alive()}", "screen right, alive",
          ok and ui.alive() and not errs)
    ui.tm("resize-window", "-t", "tt", "-x", "1", "-y", "1")
    time.sleep(1.5)
    tiny = ui.capture()
    ui.tm("resize-window", "-t", "tt", "-x", "120", "-y", "40")
    ok = wait_until(lambda: screen_ok(ui.capture(), 120, 40), 5)
    R.add(name, f"1x1 shows {tiny.strip()[:20]!r}; back to 120x40: table "
          f"{bool(ok)}, alive {ui.alive()}", "no crash, table again",
          ok and ui.alive() and len(tiny.strip()) <= 1)
    # closed terminal: the tmux server goes, the pane's tty hangs up.
    # Exited means a zombie or gone: its shell dies of the hangup too, and
    # the orphan is then reaped whenever init gets to it (up to 2 s more
    # on these VMs), which is no part of tracetop's exit.
    t0 = time.monotonic()
    ui.kill()
    gone = wait_until(lambda: exited(pid), 10, 0.01)
    took = time.monotonic() - t0
    left = bpf_left(progs, maps)
    R.add(name, f"tmux server killed: tracetop exited in {took:.2f} s "
          f"({len(progs)} progs, {len(maps)} maps held): {fmt_left(left)}",
          "exits within 2 s, nothing left",
          gone and took <= 2 and not left[0] and not left[1] and progs)
    # output to a pipe that closes (as tracetop -j | head -1)
    p = subprocess.Popen([TRACETOP, "-j", "-d", "0.5"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    cleanups.append(lambda: p.poll() is None and p.kill())
    first = p.stdout.readline()
    progs, maps, _ = bpf_fd_ids(p.pid)
    t0 = time.monotonic()
    p.stdout.close()
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    took = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace").strip()
    left = bpf_left(progs, maps)
    r = sh(f"{shlex.quote(TRACETOP)} -j -d 0.5 | head -1 >/dev/null; "
           "echo ${PIPESTATUS[0]}", timeout=30, executable="/bin/bash")
    R.add(name, f"reader closes after 1 line: exit {rc} in {took:.2f} s, "
          f"stderr {err[:60]!r}, {fmt_left(left)}; 'tracetop -j | head -1'"
          f": exit {r.stdout.strip()}, stderr {r.stderr.strip()[:60]!r}",
          "exit 0 within delay + 1 s, no noise, nothing left",
          first and rc == 0 and took <= 1.5 and not err and
          not left[0] and not left[1] and r.stdout.strip() == "0" and
          not r.stderr.strip())


def exited(pid):
    """pid has exited: gone, or a zombie waiting to be reaped"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            st = f.read()
    except OSError:
        return True
    return st[st.rindex(")") + 2:].startswith("Z")


# ---- kernel faults ----------------------------------------------------------------

# TRACETOP_FAULTS=tiny-maps:MAP: the kind of loss each map's fullness is
TINY = {"sc_stats": "syscall_map_full", "sched_stats": "sched_map_full",
        "tcp_stats": "tcp_map_full", "conns": "conn_map_full"}
REFUSED = "sched:sched_migrate_task"


def faults_run(faults, extra=()):
    """
    tracetop -j -d 0.5 with TRACETOP_FAULTS=faults while workloads with
    known answers run (and extra ones, to fill a map): its last snapshot,
    which of the answers it got exact, its exit.
    """
    final = {}

    def on_snap(s):
        # every workload process, the forked children too (their pids are
        # known only from the results, after they were reported)
        for p in s["processes"]:
            if p["comm"].startswith("wl-"):
                final[p["pid"]] = p
        final["snap"] = s
    tt = TT(["-d", "0.5"], on_snap=on_snap, env={"TRACETOP_FAULTS": faults})
    if not tt.wait_snaps(2, 20):
        raise RuntimeError(f"{faults}: tracetop did not start: "
                           f"{tt.stderr()}")
    g = Workload("getppid", 100000, 1234)
    x = Workload("tcpxfer", 1000000)
    fe = Workload("forkexit", 4321)
    more = [Workload(*e) for e in extra]
    for w in [g, x, fe] + more:
        w.go()
    gres, xres, feres = g.result(30), x.result(30), fe.result(30)
    for w in more:
        w.result(60)
    tt.wait_snaps(tt.n() + 3, 5)
    rc = tt.stop()
    gp = final.get(g.pid)
    snd, rcv = final.get(xres["sender_pid"]), final.get(x.pid)
    cp = final.get(feres["child_pid"])
    ok = {
        "getppid": bool(gp) and getppid_of(gp) == 100000 and
        gp["syscalls"]["by_name"].get("close", {}).get("errors") == 1234,
        # both ends, both ways: every byte, and none the other way
        "tcp bytes": bool(snd and rcv) and
        (snd["tcp"]["tx_bytes"], snd["tcp"]["rx_bytes"],
         rcv["tcp"]["rx_bytes"], rcv["tcp"]["tx_bytes"]) ==
        (xres["sent"], 0, xres["received"], 0) and
        xres["sent"] == 1000000,
        "exited child shown": bool(cp) and cp["exited"],
        "its getppid": bool(cp) and getppid_of(cp) == 4321,
    }
    out = (f"exit {rc}, stderr {tt.stderr().strip()[:60]!r}"
           + (f", reader error {tt.cb_error}" if tt.cb_error else ""))
    return (final.get("snap", {}), ok,
            rc == 0 and not tt.stderr().strip() and not tt.cb_error, out)


def exact_txt(ok):
    return ", ".join(f"{k} {'right' if v else 'WRONG'}"
                     for k, v in ok.items())


def sc_kernel_faults():
    name = "kernel faults (TRACETOP_FAULTS)"
    # a tracepoint the kernel lacks: that probe off, the rest exact
    s, ok, clean, out = faults_run("missing:tt_tcp_retransmit")
    pr = s.get("probes", {})
    R.add(f"{name} missing:tt_tcp_retransmit",
          f"probes.tcp {pr.get('tcp')!r}; {exact_txt(ok)}; {out}",
          "tcp 'on; partial, off: tcp:tcp_retransmit_skb (...)', "
          "the rest on and exact, exit 0",
          pr.get("tcp", "").startswith(
              "on; partial, off: tcp:tcp_retransmit_skb (") and
          pr.get("tcp", "").count("); ") == 0 and
          pr.get("syscalls") == "on" and pr.get("sched") == "on" and
          all(ok.values()) and clean)
    # a real metric's program the verifier refuses: the migrations counter
    chk = subprocess.run([TRACETOP, "--check"], capture_output=True,
                         text=True, timeout=60,
                         env=dict(os.environ,
                                  TRACETOP_FAULTS="reject:tt_sched_migrate"))
    said = [l for l in chk.stdout.splitlines()
            if "not attached" in l]
    s, ok, clean, out = faults_run("reject:tt_sched_migrate")
    pr = s.get("probes", {})
    want = f"on; partial, off: {REFUSED} (refused by the verifier: "
    R.add(f"{name} reject:tt_sched_migrate",
          f"probes {pr}; --check: {said}; {exact_txt(ok)}; {out}",
          f"sched partial with only {REFUSED} off, refused by the "
          "verifier (--check says so too); the rest on and exact, exit 0",
          chk.returncode == 0 and len(said) == 1 and REFUSED in said[0] and
          pr.get("sched", "").startswith(want) and
          pr.get("sched", "").count("); ") == 0 and
          pr.get("syscalls") == "on" and pr.get("tcp") == "on" and
          all(ok.values()) and clean)
    # one map full at a time: only its kind of loss, the rest exact
    for m, kind in TINY.items():
        # more TCP processes and connections than the 8 entries
        extra = [("tcpxfer", 100000)] * 5 if m in ("tcp_stats", "conns") \
            else []
        s, ok, clean, out = faults_run(f"tiny-maps:{m}", extra)
        lost = s.get("lost", {})
        tot = sum(v for k, v in lost.items() if k != "total")
        # the other maps' kinds (task_storage_full is no map's size: a
        # task-storage program nested in another on one CPU, rare)
        others = {k: v for k, v in lost.items()
                  if k in set(TINY.values()) | {"exit_map_full"} and
                  k != kind and v}
        # what that map's fullness takes away, and no more
        spoils = {"sc_stats": ("getppid", "its getppid"),
                  "tcp_stats": ("tcp bytes",),
                  "conns": ("tcp bytes",)}.get(m, ())
        rest = {k: v for k, v in ok.items() if k not in spoils}
        R.add(f"{name} tiny-maps:{m}",
              f"lost {json.dumps({k: v for k, v in lost.items() if v})}; "
              f"{exact_txt(rest)}; {out}",
              f"{kind} > 0 and no other map's kind, total = sum; "
              f"{', '.join(rest)} right; exit 0",
              lost.get(kind, 0) > 0 and not others and
              lost.get("total") == tot and all(rest.values()) and clean)
    # the screen with all three at once
    ui = Tmux("faults")
    ui.start(["-d", "0.5"], env={
        "TRACETOP_FAULTS":
        "missing:tt_tcp_retransmit,reject:tt_sched_migrate,tiny-maps"})
    ok = ui.wait_for("PID USER", 20) and ui.wait_for("tcp partial", 5)
    time.sleep(1.5)
    hdr = ui.header()
    m = re.search(r"Lost (\d+)", hdr)
    probes = re.search(r"Probes ((?:\w+ (?:on|off|partial)(?:, )?)+)", hdr)
    quit_ok = ui.quit()
    ui.kill()
    R.add(f"{name} TUI, all three", f"header: 'Probes "
          f"{probes.group(1) if probes else '?'}', 'Lost "
          f"{m.group(1) if m else '?'}'; q exits 0 {quit_ok}",
          "shows tcp partial, sched partial and Lost > 0",
          ok and probes and "sched partial" in probes.group(1) and
          m and int(m.group(1)) > 0 and quit_ok)


# ---- files ---------------------------------------------------------------------------

def export_in_tui(name, export_dir, cwd=None):
    """X in the TUI: (status line seen, files in export_dir after)"""
    ui = Tmux(name)
    ui.start(["-d", "0.5", "--export-dir", export_dir], cwd=cwd)
    if not ui.wait_for("PID USER", 20) or not ui.wait_for("Probes", 5):
        raise RuntimeError("TUI did not start")
    time.sleep(1)
    ui.keys("X")
    msg = wait_until(lambda: (lambda l: l if "export" in l else None)(
        ui.status_line().strip()), 5) or ui.status_line().strip()
    quit_ok = ui.quit()
    ui.kill()
    return msg, quit_ok


def record_run(path, n):
    """tracetop -j -d 0.2 -n N --record PATH, its output captured"""
    return subprocess.run([TRACETOP, "-j", "-d", "0.2", "-n", str(n),
                           "--record", path], capture_output=True,
                          text=True, timeout=60)


def sc_files():
    name = "files"
    good = recording()
    _, gsnaps, _ = replay_json(good)
    base = os.path.join(H.TMP, "files")
    os.makedirs(base, exist_ok=True)

    # X into a full disk: a message, nothing partial, the old file intact
    full = mount_tmpfs("full-x", size="64k")
    keep = os.path.join(full, "keep.json")
    with open(keep, "w") as f:
        f.write('{"keep":1}\n')
    msg, q = export_in_tui("xfull", full)
    files = sorted(os.listdir(full))
    R.add(f"{name}: X export to a full disk", f"status {msg[:70]!r}; "
          f"files after {files}; q exits 0 {q}",
          "clear message, only keep.json, intact",
          "No space left" in msg and files == ["keep.json"] and
          open(keep).read() == '{"keep":1}\n' and q)

    # X into a read-only file system
    src = os.path.join(base, "ro-src")
    os.makedirs(src, exist_ok=True)
    ro = ro_bind(src, "ro-x")
    msg, q = export_in_tui("xro", ro)
    R.add(f"{name}: X export to a read-only fs", f"status {msg[:70]!r}; "
          f"files after {os.listdir(ro)}; q exits 0 {q}",
          "clear message, nothing written",
          "Read-only" in msg and not os.listdir(ro) and q)

    # X where the file names are planted symlinks, through a dir symlink
    real = os.path.join(base, "xreal")
    os.makedirs(real, exist_ok=True)
    link = os.path.join(base, "xlink")
    if not os.path.islink(link):
        os.symlink(real, link)
    victim = os.path.join(base, "victim")
    with open(victim, "w") as f:
        f.write("victim\n")
    now = time.time()
    for d in range(-5, 60):
        n = time.strftime("tracetop-%Y%m%d-%H%M%S.json",
                          time.localtime(now + d))
        os.symlink(victim, os.path.join(real, n))
    msg, q = export_in_tui("xlink", link)
    made = [f for f in os.listdir(real)
            if not os.path.islink(os.path.join(real, f))]
    valid = False
    for f in made:
        try:
            with open(os.path.join(real, f)) as fh:
                valid = "processes" in json.load(fh)
        except ValueError:
            pass
    R.add(f"{name}: X export, symlinks", f"status {msg[:70]!r}; new "
          f"regular files {made}; planted symlinks' target "
          f"{'intact' if open(victim).read() == 'victim' + chr(10) else 'CHANGED'}",
          "written beside the symlinks, target untouched",
          "exported to" in msg and len(made) == 1 and valid and
          open(victim).read() == "victim\n" and q)

    # --record into a disk that fills up: every record before is whole.
    # A record of a quiet machine is ~40 KB, of a busy one (others' tests
    # holding a thousand connections) 300 KB and more: room for a few
    big = max(len(l) for l in open(good, "rb"))
    full = mount_tmpfs("full-rec", size=f"{max(256, 4 * big // 1024)}k")
    rec = os.path.join(full, "rec.jsonl")
    r = record_run(rec, 40)
    data = open(rec, "rb").read()
    lines = data.split(b"\n")
    whole = lines[-1] == b"" and all(
        json.loads(l) for l in lines[:-1]) if data else False
    rrc, rs, rerr = replay_json(rec)
    R.add(f"{name}: --record to a disk that fills", f"exit {r.returncode},"
          f" stderr {r.stderr.strip()[:70]!r}; {len(lines) - 1} records "
          f"kept, all whole {whole}; --replay -j: exit {rrc}, {len(rs)} "
          f"records", "message, whole lines only, replay shows all kept",
          "No space left" in r.stderr and one_line(r.stderr) and whole and
          len(lines) > 1 and rrc == 0 and len(rs) == len(lines) - 1 and
          not crashed(r.returncode))

    # the same with a gzip recording: room for about two of the biggest
    # record compressed (the first holds every process, those after it
    # compress against it), so that 40 never fit; sized from the record
    # uncompressed, a busy machine when the good recording was made (1,000
    # processes left over) made room for all 40
    bigz = max(len(gzip.compress(l)) for l in open(good, "rb"))
    full = mount_tmpfs("full-gz", size=f"{max(64, 2 * bigz // 1024)}k")
    rec = os.path.join(full, "rec.jsonl.gz")
    r = record_run(rec, 40)
    zc = sh(f"zcat {shlex.quote(rec)} 2>/dev/null | wc -l").stdout.strip()
    rrc, rs, rerr = replay_json(rec)
    R.add(f"{name}: --record .gz to a disk that fills", f"exit "
          f"{r.returncode}, stderr {r.stderr.strip()[:70]!r}; "
          f"zcat reads {zc} lines; --replay -j: exit {rrc}, {len(rs)} "
          f"records, stderr {rerr.strip()[:40]!r}",
          "message, replay shows the whole records",
          "No space left" in r.stderr and one_line(r.stderr) and
          rrc == 0 and len(rs) >= 1 and all(rs) and
          not crashed(r.returncode))

    # --record into a read-only fs, over an existing recording
    shutil.copy(good, os.path.join(src, "rec.jsonl"))
    before = open(good, "rb").read()
    rec = os.path.join(ro, "rec.jsonl")
    r = record_run(rec, 2)
    R.add(f"{name}: --record to a read-only fs", f"exit {r.returncode}, "
          f"stderr {r.stderr.strip()[:80]!r}; old recording intact "
          f"{open(rec, 'rb').read() == before}",
          "exit 1, one line, nothing lost",
          r.returncode == 1 and one_line(r.stderr) and
          "Read-only" in r.stderr and open(rec, "rb").read() == before)

    # --record to a symlink: refused, its target untouched
    link = os.path.join(base, "rec-link.jsonl")
    if not os.path.islink(link):
        os.symlink(victim, link)
    r = record_run(link, 2)
    R.add(f"{name}: --record to a symlink", f"exit {r.returncode}, stderr "
          f"{r.stderr.strip()[:80]!r}; target "
          f"{'intact' if open(victim).read() == 'victim' + chr(10) else 'CHANGED'}",
          "exit 1, one line, target untouched",
          r.returncode == 1 and one_line(r.stderr) and
          open(victim).read() == "victim\n")

    # damaged recordings: every whole record still replays
    raw = open(good, "rb").read()
    nl = raw.rstrip(b"\n").split(b"\n")
    cases = {
        "truncated mid-line": (b"\n".join(nl[:-1]) + b"\n" +
                               nl[-1][:len(nl[-1]) // 2], len(nl) - 1),
        "garbage appended": (raw + os.urandom(3000) + b"\n{\"schema\":1,"
                             + b"x" * 100 + b"\n\x00\xff{{{", len(nl)),
        # a writer killed mid-line, then appended to; and binary junk
        "garbage between records": (b"\n".join(nl[:2]) + b"\n" +
                                    nl[2][:len(nl[2]) // 3] + b"\n" +
                                    os.urandom(500).replace(b"\n", b" ") +
                                    b"\n" + b"\n".join(nl[2:]) + b"\n",
                                    len(nl)),
    }
    for what, (blob, n) in cases.items():
        p = os.path.join(base, "damaged.jsonl")
        with open(p, "wb") as f:
            f.write(blob)
        rrc, rs, rerr = replay_json(p)
        R.add(f"{name}: recording {what}", f"--replay -j: exit {rrc}, "
              f"{len(rs)} records (of {n} whole), same as written "
              f"{same_records(rs, gsnaps[:n])}, stderr {rerr.strip()[:40]!r}",
              "all whole records, exit 0", rrc == 0 and
              same_records(rs, gsnaps[:n]))
    # gzip cut in the middle of the stream
    gz = os.path.join(base, "cut.jsonl.gz")
    sh(f"gzip -c {shlex.quote(good)} > {shlex.quote(gz)}")
    blob = open(gz, "rb").read()
    cut = blob[:len(blob) * 2 // 3]
    with open(gz, "wb") as f:
        f.write(cut)
    # the answer: the whole lines that the cut stream still inflates to
    import zlib
    text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut)
    whole = text.count(b"\n")
    rrc, rs, rerr = replay_json(gz)
    R.add(f"{name}: recording .gz cut mid-stream", f"--replay -j: exit "
          f"{rrc}, {len(rs)} records of the {whole} whole before the cut "
          f"(of {len(gsnaps)}), same as written "
          f"{same_records(rs, gsnaps[:len(rs)])}, stderr "
          f"{rerr.strip()[:40]!r}",
          "every whole record before the cut (at least 1), no more",
          not crashed(rrc) and rrc in (0, 1) and whole >= 1 and
          len(rs) == whole and same_records(rs, gsnaps[:whole]))
    # and the screen on a damaged file
    p = os.path.join(base, "damaged.jsonl")
    with open(p, "wb") as f:
        f.write(cases["truncated mid-line"][0])
    ui = Tmux("replay")
    ui.start(["--replay", p])
    ok = ui.wait_for(f"REPLAY 1/{len(nl) - 1}", 10)
    ui.keys("]")
    ok2 = ui.wait_for(f"REPLAY 2/{len(nl) - 1}", 5)
    q = ui.quit()
    ui.kill()
    R.add(f"{name}: TUI replay of a truncated recording",
          f"'REPLAY 1/{len(nl) - 1}' {bool(ok)}, ] steps {bool(ok2)}, "
          f"q exits 0 {q}", "opens on the whole records", ok and ok2 and q)


# ---- exit paths ------------------------------------------------------------------------

def sc_exit_paths():
    name = "exit path"
    ports = socket_taken()

    def held(pid, secs=20):
        """ids once it attached (holds links and they stop changing)"""
        seen_p, seen_m = set(), set()
        last, since, end = -1, time.monotonic(), time.monotonic() + secs
        while time.monotonic() < end and os.path.exists(f"/proc/{pid}"):
            p, m, _ = bpf_fd_ids(pid)
            seen_p |= p
            seen_m |= m
            if len(p) != last:
                last, since = len(p), time.monotonic()
            elif last > 0 and time.monotonic() - since > 0.5:
                break
            time.sleep(0.02)
        return seen_p, seen_m

    def check(label, progs, maps, rc, want_rc, err, extra=True):
        left = bpf_left(progs, maps)
        R.add(f"{name}: {label}", f"exit {rc}, held {len(progs)} progs "
              f"{len(maps)} maps, {fmt_left(left)}"
              + (f", stderr {err.strip()[:60]!r}" if err is not None
                 else ""),
              f"exit {want_rc}, nothing left",
              rc == want_rc and progs and maps and not left[0] and
              not left[1] and extra)

    # the screen: q, SIGINT, SIGTERM, SIGHUP
    for how in ("q", "SIGINT", "SIGTERM", "SIGHUP"):
        ui = Tmux("exit")
        ui.start(["-d", "0.5"])
        if not ui.wait_for("PID USER", 20):
            raise RuntimeError("TUI did not start")
        pid = ui.tt_pid
        progs, maps = held(pid)
        if how == "q":
            ui.keys("q")
        else:
            os.kill(pid, getattr(signal, how))
        wait_until(lambda: not os.path.exists(f"/proc/{pid}"), 10)
        m = ui.wait_for("tracetop-exited-", 3) and \
            re.search(r"tracetop-exited-(\d+)", ui.capture())
        rc = int(m.group(1)) if m else None
        restored = "F1Help" not in ui.capture()
        ui.kill()
        check(f"TUI {how}", progs, maps, rc, 0, None, restored)
    # -j: SIGINT, SIGTERM, SIGHUP, SIGKILL
    for how in ("SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"):
        tt = TT(["-d", "0.5"])
        tt.wait_snaps(1, 20)
        progs, maps = held(tt.pid)
        rc = tt.stop(getattr(signal, how))
        err = tt.stderr()
        want = -signal.SIGKILL if how == "SIGKILL" else 0
        check(f"-j {how}", progs, maps, rc, want, err,
              how == "SIGKILL" or not err.strip())
    # error exits after loading: the metrics port taken, a bad recording
    for label, extra in (("error: --listen port in use",
                          ["--listen", f"127.0.0.1:{ports[0]}"]),
                         ("error: --record into a missing folder",
                          ["--record", os.path.join(H.TMP, "no", "x")])):
        tt = TT(["-d", "0.5"] + extra, sample=0.01)
        progs, maps = set(), set()
        while tt.p.poll() is None:
            p, m, _ = bpf_fd_ids(tt.pid)
            progs |= p
            maps |= m
        rc = tt.stop()
        progs |= tt.progs
        maps |= tt.maps
        err = tt.stderr()
        check(label, progs, maps, rc, 1, err, one_line(err))


_sockets = []


def socket_taken():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    _sockets.append(s)
    return [s.getsockname()[1]]
