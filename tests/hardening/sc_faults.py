# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
sc_faults.py - terminal faults, kernel faults (TRACETOP_FAULTS), file
faults (full and read-only disks, symlinks, cut recordings), exit paths.
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
    # closed terminal: the tmux server goes, the pane's tty hangs up
    t0 = time.monotonic()
    ui.kill()
    gone = wait_until(lambda: not os.path.exists(f"/proc/{pid}"), 10)
    took = time.monotonic() - t0
    left = bpf_left(progs, maps)
    R.add(name, f"tmux server killed: tracetop gone in {took:.1f} s "
          f"({len(progs)} progs, {len(maps)} maps held): {fmt_left(left)}",
          "exits within 5 s, nothing left",
          gone and took <= 5 and not left[0] and not left[1] and progs)
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


# ---- kernel faults ----------------------------------------------------------------

def sc_kernel_faults():
    name = "kernel faults (TRACETOP_FAULTS)"
    for faults in ("missing:tt_tcp_retransmit", "reject", "tiny-maps"):
        final = {}

        def on_snap(s):
            # every workload process, the forked child too (its pid is
            # known only from the result, after it was reported)
            for p in s["processes"]:
                if p["comm"].startswith("wl-"):
                    final[p["pid"]] = p
            final["snap"] = s
        tt = TT(["-d", "0.5"], on_snap=on_snap,
                env={"TRACETOP_FAULTS": faults})
        if not tt.wait_snaps(2, 20):
            raise RuntimeError(f"{faults}: tracetop did not start: "
                               f"{tt.stderr()}")
        g = Workload("getppid", 100000, 1234)
        x = Workload("tcpxfer", 1000000)
        fe = Workload("forkexit", 4321)
        for w in (g, x, fe):
            w.go()
        gres, xres, feres = g.result(30), x.result(30), fe.result(30)
        tt.wait_snaps(tt.n() + 3, 5)
        rc = tt.stop()
        s = final.get("snap", {})
        pr = s.get("probes", {})
        gp = final.get(g.pid)
        gok = gp and getppid_of(gp) == 100000 and \
            gp["syscalls"]["by_name"].get("close", {}).get("errors") == 1234
        xp = final.get(x.pid)
        xok = xp is not None and max(
            (xp["tcp"]["tx_bytes"], xp["tcp"]["rx_bytes"])) >= 1000000
        cp = final.get(feres["child_pid"])
        cok = cp and cp["exited"] and getppid_of(cp) == 4321
        lost = s.get("lost", {})
        tot = sum(v for k, v in lost.items() if k != "total")
        if faults.startswith("missing"):
            want = pr.get("tcp", "").startswith(
                "on; partial, off: tcp:tcp_retransmit_skb")
            ok = want and pr.get("syscalls") == "on" and \
                pr.get("sched") == "on" and gok and xok and cok
            what = (f"probes.tcp {pr.get('tcp')!r}; getppid exact {gok}, "
                    f"tcp bytes {xok}, exited child exact {cok}")
            limit = "tcp 'on; partial, off: ...', the rest exact"
        elif faults == "reject":
            chk = subprocess.run([TRACETOP, "--check"], capture_output=True,
                                 text=True, timeout=60,
                                 env=dict(os.environ, TRACETOP_FAULTS=faults))
            said = chk.returncode == 0 and \
                "refused by the verifier" in chk.stdout
            ok = all(v == "on" for v in pr.values()) and gok and xok and \
                cok and said
            what = (f"probes {pr}; --check names the refused program "
                    f"{said}; getppid exact {gok}, tcp bytes {xok}, "
                    f"exited child exact {cok}")
            limit = "all on, --check says why, exact"
        else:
            ok = lost.get("total", 0) > 0 and lost.get("total") == tot
            what = f"lost {json.dumps({k: v for k, v in lost.items() if v})}"
            limit = "lost > 0, total = sum of kinds"
        R.add(f"{name} {faults}", f"{what}; exit {rc}, stderr "
              f"{tt.stderr().strip()[:60]!r}"
              + (f", reader error {tt.cb_error}" if tt.cb_error else ""),
              limit + ", exit 0",
              ok and rc == 0 and not tt.stderr().strip() and
              not tt.cb_error)
    # the screen with all three at once
    ui = Tmux("faults")
    ui.start(["-d", "0.5"], env={
        "TRACETOP_FAULTS": "missing:tt_tcp_retransmit,reject,tiny-maps"})
    ok = ui.wait_for("PID USER", 20) and ui.wait_for("tcp partial", 5)
    time.sleep(1.5)
    hdr = "\n".join(ui.capture().split("\n")[1:3])
    m = re.search(r"Lost (\d+)", hdr)
    probes = re.search(r"Probes ([^L]*?)  ", hdr)
    quit_ok = ui.quit()
    ui.kill()
    R.add(f"{name} TUI, all three", f"header: 'Probes "
          f"{probes.group(1) if probes else '?'}', 'Lost "
          f"{m.group(1) if m else '?'}'; q exits 0 {quit_ok}",
          "shows tcp partial and Lost > 0",
          ok and m and int(m.group(1)) > 0 and quit_ok)


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
    # A record of a quiet machine is ~40 KB: 256 KiB fills well before 40
    full = mount_tmpfs("full-rec", size="256k")
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

    # the same with a gzip recording
    full = mount_tmpfs("full-gz", size="128k")
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
    with open(gz, "wb") as f:
        f.write(blob[:len(blob) * 2 // 3])
    rrc, rs, rerr = replay_json(gz)
    R.add(f"{name}: recording .gz cut mid-stream", f"--replay -j: exit "
          f"{rrc}, {len(rs)} records, same as written "
          f"{same_records(rs, gsnaps[:len(rs)])}, stderr "
          f"{rerr.strip()[:40]!r}", "the whole records before the cut",
          not crashed(rrc) and rrc in (0, 1) and
          same_records(rs, gsnaps[:len(rs)]))
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
