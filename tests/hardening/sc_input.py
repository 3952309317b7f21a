# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
sc_input.py - bad command lines and bad files (themes, config, replay).
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


# ---- bad input ---------------------------------------------------------------------------

def sc_bad_options():
    name = "bad option"
    huge = "9" * 30
    longs = "x" * 100000
    cases = [  # (label, argv, expected: 'usage' | 'error' | 'ok')
        ("-d", [["-d", v] for v in ("", "-1", "0", "0.049", "3601", "1e999",
                                     "abc", "nan", "inf", "1,5", huge,
                                     longs)], "usage"),
        ("-n", [["-n", v] for v in ("", "-1", "0", "abc", huge, "1.5",
                                     "0x")], "usage"),
        ("-p", [["-p", v] for v in ("", "-1", "0", "abc", huge, "1,abc",
                                     ",".join(["1"] * 17), "1," * 200,
                                     "4194305")], "usage"),
        ("-u", [["-u", v] for v in ("", "-1", "no-such-user-x", huge,
                                     "4294967295")], "usage"),
        ("-s", [["-s", v] for v in ("", "-1", "nosuchcolumn", huge,
                                     "\x01\x02")], "usage"),
        ("--record-max", [["--record-max", v, "--record", "/dev/null"]
                          for v in ("", "-1", "0", "abc", "1K", huge,
                                    "99999999G", "nan", "inf")], "usage"),
        ("--metrics-top", [["--metrics-top", v] for v in
                           ("", "-1", "0", "10001", "abc", huge)], "usage"),
        ("--listen", [["--listen", v] for v in
                      ("", "-1", "0", "abc", "65536", huge,
                       "127.0.0.1:", "[::1]", "999.1.1.1:80", longs)],
         "usage"),
        ("missing value", [["-d"], ["--delay"], ["-p"], ["--theme"],
                           ["--record"], ["--replay"], ["-s"]], "usage"),
        ("unknown/extra", [["-Z"], ["--nosuch"], ["--delay=1=2"], ["foo"],
                           ["-b", "-j"], ["--headless"],
                           ["--no-syscalls", "--no-tcp", "--no-sched", "--no-events"],
                           ["--replay", "/dev/null", "-p", "1"],
                           ["-j", "--check"]], "usage"),
        ("--replay", [["--replay", v, "-j"] for v in
                      ("", "/nonexistent", "-1", "/tmp", "/dev/null",
                       huge)], "error"),
        ("--record", [["-j", "-n", "1", "-d", "0.1", "--record", v]
                      for v in ("", "/nonexistent/dir/x", "/proc/version",
                                "/dev/null")], "error"),
        ("valid edge values", [["-j", "-n", "1", "-d", "0.05"],
                               ["-j", "-n", "1", "-d", "0.05", "-p",
                                "4194304"],
                               ["-j", "-n", "1", "-d", "0.05", "-u",
                                "4294967294"],
                               ["-j", "-n", "1", "-d", "0.05", "--theme",
                                ""],
                               ["-j", "-n", "1", "-d", "0.05",
                                "--export-dir", ""]], "ok"),
    ]
    for label, argvs, want in cases:
        bad = []
        for argv in argvs:
            try:
                r = subprocess.run([TRACETOP] + argv, capture_output=True,
                                   text=True, timeout=30, cwd=H.TMP,
                                   stdin=subprocess.DEVNULL)
                rc, err = r.returncode, r.stderr
            except subprocess.TimeoutExpired:
                rc, err = None, "timeout"
            show = " ".join(a if len(a) < 20 else a[:8] + "..."
                            for a in argv)
            if crashed(rc):
                bad.append(f"{show}: CRASH/timeout {rc}")
            elif want == "usage" and (rc != 2 or not one_line(err)):
                bad.append(f"{show}: exit {rc} {err.strip()[:50]!r}")
            elif want == "error" and (rc != 1 or not one_line(err)):
                bad.append(f"{show}: exit {rc} {err.strip()[:50]!r}")
            elif want == "ok" and rc != 0:
                bad.append(f"{show}: exit {rc} {err.strip()[:50]!r}")
        exp = {"usage": "exit 2, one stderr line",
               "error": "exit 1, one stderr line",
               "ok": "exit 0"}[want]
        R.add(f"{name} {label}", f"{len(argvs) - len(bad)}/{len(argvs)} "
              f"as expected" + (f"; {bad}" if bad else ""),
              exp + ", no crash", not bad)


def sc_bad_files():
    """themes and settings files with garbage; the replay fuzz corpus"""
    name = "bad file"
    d = os.path.join(H.TMP, "badfiles")
    os.makedirs(d, exist_ok=True)
    rnd = random.Random(6)
    binary = bytes(rnd.randrange(256) for _ in range(4096))
    contents = {
        "garbage": b"this is not a theme\n!!! = ??? ###\nheader red\n",
        "long line": b"normal = " + b"red " * 50000 + b"\n",
        "binary": binary,
        "missing fields": b"normal =\nheader = red\n= red black\nwarn\n",
        "empty": b"",
    }
    rec = recording()
    for what, blob in contents.items():
        p = os.path.join(d, f"t-{what.replace(' ', '-')}.theme")
        with open(p, "wb") as f:
            f.write(blob)
        tui_case(f"{name}: theme, {what}", ["--theme", p], None,
                 want_msg=what != "empty" and p)
    tui_case(f"{name}: theme, no such name", ["--theme", "nosuchtheme"],
             None, want_msg="nosuchtheme")
    tui_case(f"{name}: theme, a folder", ["--theme", d + "/"], None,
             want_msg="Is a directory")
    cfg = dict(contents)
    cfg["garbage"] = b"this is not a setting\ncolumns\n"
    cfg["missing fields"] = b"columns =\nsort =\norder =\ntheme =\n"
    cfg["unknown values"] = (b"columns = nosuch,zzz\nsort = nosuch\n"
                             b"order = sideways\ntheme = nosuchtheme\n")
    for what, blob in cfg.items():
        if what == "empty":
            continue
        home = os.path.join(d, f"home-{what.replace(' ', '-')}")
        os.makedirs(os.path.join(home, ".config", "tracetop"),
                    exist_ok=True)
        path = os.path.join(home, ".config", "tracetop", "config")
        with open(path, "wb") as f:
            f.write(blob)
        want = {"garbage": path, "long line": path + ":1:", "binary": path,
                "missing fields": None, "unknown values": "nosuchtheme"}
        tui_case(f"{name}: config, {what}", [], home, want_msg=want[what])
    home = os.path.join(d, "home-dir")
    os.makedirs(os.path.join(home, ".config", "tracetop", "config"),
                exist_ok=True)
    tui_case(f"{name}: config, a folder", [], home,
             want_msg="Is a directory")
    # the same theme error with a recording as the source
    tui_case(f"{name}: theme, garbage, in --replay", [
        "--theme", os.path.join(d, "t-garbage.theme"), "--replay", rec],
        None, want_msg=os.path.join(d, "t-garbage.theme"), replay=True)
    # the replay fuzz corpus (and crashes found so far), -j and -b
    files = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS))
    if os.path.isdir(CRASHES):
        files += sorted(os.path.join(CRASHES, f)
                        for f in os.listdir(CRASHES))
    bad = []
    for f in files:
        for mode in ("-j", "-b"):
            r = subprocess.run([TRACETOP, "--replay", f, mode],
                               capture_output=True, timeout=30)
            err = r.stderr.decode(errors="replace")
            if crashed(r.returncode) or r.returncode not in (0, 1) or \
                    (r.returncode == 1 and not one_line(err)):
                bad.append(f"{os.path.basename(f)} {mode}: exit "
                           f"{r.returncode} {err.strip()[:40]!r}")
    R.add(f"{name}: replay fuzz corpus", f"{len(files)} files x -j/-b: "
          f"{2 * len(files) - len(bad)} clean" + (f"; {bad}" if bad else ""),
          "exit 0, or 1 with one line; no crash", not bad)


def tui_case(label, args, home, want_msg, replay=False):
    """the screen starts with these files, says why when one is bad"""
    ui = Tmux("files")
    if home:
        ui.home = home
    ui.start((["-d", "0.5"] if not replay else []) + args)
    table = ui.wait_for("PID USER", 20)
    seen = set()
    end = time.monotonic() + 2.5
    while time.monotonic() < end:
        seen.add(ui.status_line().strip())
        time.sleep(0.2)
    alive = ui.alive()
    q = ui.quit()
    ui.kill()
    shown = [s for s in seen if want_msg and want_msg in s]
    R.add(label, f"table {bool(table)}, alive {alive}, q exits 0 {q}; "
          f"status line: {(shown or sorted(seen))[0][:80]!r}",
          "starts" + (", says which file and why" if want_msg else ""),
          table and alive and q and (not want_msg or shown))
