#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""floors.py DIR... - the files of each DIR as floors, and any circle.

A module is a .c file and the .h of the same name (a header without a
.c is a module of its own). A module stands on another when it includes
that one's header ("#include" lines, not -MM's transitive closure) or
uses a symbol defined in its object (nm on BUILD/obj/*.o: calls, and
data such as a table of function pointers). Within each DIR, modules
must stand on each other without a circle: then no file calls a
function defined in a file that includes it, and the floors below are
well defined (floor 0 stands on nothing in DIR).

The DIRs are also layers, given from the top down: a module of a DIR
may stand on a module of a DIR named after it, never on one named
before it (tui -> model -> prof: the profiler's floor knows neither the
model nor the screen).

Prints each DIR's floors; exit 1 and the circles, or the calls and
includes up a layer, when there are any.
  python3 tools/floors.py [--build build] tui model prof
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(d):
    """module name -> its files in d"""
    mods = {}
    for f in sorted(os.listdir(d)):
        base, ext = os.path.splitext(f)
        if ext in (".c", ".h"):
            mods.setdefault(base, []).append(os.path.join(d, f))
    return mods


def include_edges(d, mods):
    edges = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            with open(f, encoding="utf-8", errors="replace") as fh:
                for inc in INCLUDE.findall(fh.read()):
                    idir, name = os.path.split(inc)
                    base = os.path.splitext(name)[0]
                    if idir == os.path.basename(d) and base in mods \
                            and base != m:
                        edges[m].add(base)
    return edges


def nm(obj):
    out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        sym, kind = parts[0], parts[1]
        if kind == "U":
            used.add(sym)
        elif kind.isupper():
            defined.add(sym)
    return defined, used


def symbol_edges(mods, build):
    owner, uses = {}, {}
    for m, files in mods.items():
        if not any(f.endswith(".c") for f in files):
            continue
        obj = os.path.join(build, "obj", m + ".o")
        if not os.path.exists(obj):
            sys.exit(f"floors: {obj} missing: build first (make tracetop)")
        defined, used = nm(obj)
        for s in defined:
            owner[s] = m
        uses[m] = used
    edges = {m: set() for m in mods}
    why = {}
    for m, used in uses.items():
        for s in used:
            o = owner.get(s)
            if o and o != m:
                edges[m].add(o)
                why.setdefault((m, o), s)
    return edges, why


def sccs(nodes, edges):
    """Tarjan: the strongly connected components, each a list"""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def floors(nodes, edges):
    level = {}

    def lvl(v, seen=()):
        if v in level:
            return level[v]
        if v in seen:
            return 0
        below = [lvl(w, seen + (v,)) for w in edges[v]]
        level[v] = 1 + max(below) if below else 0
        return level[v]

    for v in nodes:
        lvl(v)
    return level


def layer_ups(dirs, build):
    """(module, what it includes or uses, of which higher module)"""
    top = {}  # module -> index of its DIR
    owner = {}
    for i, d in enumerate(dirs):
        for m, files in modules(d).items():
            top[(d, m)] = i
            if any(f.endswith(".c") for f in files):
                obj = os.path.join(build, "obj", m + ".o")
                if os.path.exists(obj):
                    for s in nm(obj)[0]:
                        owner[s] = (d, m)
    ups = []
    for i, d in enumerate(dirs):
        for m, files in modules(d).items():
            for f in files:
                with open(f, encoding="utf-8", errors="replace") as fh:
                    for inc in INCLUDE.findall(fh.read()):
                        idir, name = os.path.split(inc)
                        base = os.path.splitext(name)[0]
                        j = top.get((idir, base))
                        if j is not None and j < i:
                            ups.append((f"{d}/{m}", "includes " + inc))
            obj = os.path.join(build, "obj", m + ".o")
            if any(f.endswith(".c") for f in files) and os.path.exists(obj):
                for s in sorted(nm(obj)[1]):
                    o = owner.get(s)
                    if o and top[o] < i:
                        ups.append((f"{d}/{m}",
                                    f"uses {s} of {o[0]}/{o[1]}"))
    return ups


def main(argv):
    build = "build"
    if len(argv) > 2 and argv[1] == "--build":
        build, argv = argv[2], [argv[0]] + argv[3:]
    bad = 0
    dirs = [d.rstrip("/") for d in argv[1:]] or ["tui", "model", "prof"]
    for m, how in layer_ups(dirs, build):
        bad = 1
        print(f"  UP A LAYER: {m} {how}")
    for d in dirs:
        d = d.rstrip("/")
        mods = modules(d)
        inc = include_edges(d, mods)
        sym, why = symbol_edges(mods, build)
        edges = {m: inc[m] | sym[m] for m in mods}
        circles = [c for c in sccs(mods, edges) if len(c) > 1]
        # a call up into a file that includes the caller
        ups = sorted((a, b) for a in mods for b in inc[a] if a in sym[b])
        print(f"{d}/: {len(mods)} modules")
        if circles or ups:
            bad = 1
            for c in circles:
                print(f"  CIRCLE: {' '.join(c)}")
                for a in c:
                    for b in sorted(edges[a] & set(c)):
                        how = []
                        if b in inc[a]:
                            how.append("includes")
                        if (a, b) in why:
                            how.append("uses " + why[(a, b)])
                        print(f"    {a} -> {b} ({', '.join(how)})")
            for a, b in ups:
                print(f"  UP-CALL: {b} uses {why[(b, a)]} of {a}, "
                      f"which includes {b}.h")
            continue
        level = floors(mods, edges)
        for f in range(max(level.values()) + 1):
            names = sorted(m for m in mods if level[m] == f)
            print(f"  floor {f}: {' '.join(names)}")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
