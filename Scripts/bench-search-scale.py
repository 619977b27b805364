#!/usr/bin/env python3
"""The Query API on a store of 1,000,000 ServiceRequests: the first page and a deep page.

Usage: Scripts/bench-search-scale.py [--stored 1000000] [--postroom .build/release/postroom] [--out bench-out/search-scale]

Creates the schema with `postroom run --once`, fills the store directly with sqlite3 (the same rows as
Scripts/bench-big-store.py), starts `postroom serve` (anonymous, a free port on 127.0.0.1) and times,
as the median of 5 requests each: the first page of a search matching every request (default
`_total`: left out above 10,000), the same with `_total=accurate`, a deep page by cursor (after
the 500,000th id) and a deep page by `_offset=500000`. Prints one JSON line (milliseconds).
"""
import argparse, json, os, socket, statistics, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util
spec = importlib.util.spec_from_file_location("bigstore", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-big-store.py"))
bigstore = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bigstore)

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

def timed(url, runs=5):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        with urllib.request.urlopen(url, timeout=120) as r:
            body = json.loads(r.read())
        times.append((time.monotonic() - t) * 1000)
    return round(statistics.median(times), 1), body

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", type=int, default=1_000_000)
    ap.add_argument("--postroom", default=".build/release/postroom")
    ap.add_argument("--out", default="bench-out/search-scale")
    a = ap.parse_args()
    postroom = os.path.abspath(a.postroom)
    run = os.path.abspath(a.out)
    config = bigstore.prepare(run, postroom)
    bigstore.fill(os.path.join(run, "data", "postroom.sqlite"), a.stored)
    port = free_port()
    cfg = json.load(open(config))
    cfg["serve"] = {"address": "127.0.0.1", "port": port, "anonymous": True}
    json.dump(cfg, open(config, "w"))
    server = subprocess.Popen([postroom, "serve", "--config", config, "--quiet"], cwd=run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = "http://127.0.0.1:%d" % port
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/metadata", timeout=2)
                break
            except Exception:
                time.sleep(0.1)
        ids = sorted("bulk%d" % n for n in range(a.stored))
        middle = ids[len(ids) // 2]
        first, body = timed(base + "/ServiceRequest?status=active&_count=20")
        accurate, counted = timed(base + "/ServiceRequest?status=active&_count=20&_total=accurate", runs=3)
        cursor, deep = timed(base + "/ServiceRequest?status=active&_count=20&_cursor=" + middle)
        offset, _ = timed(base + "/ServiceRequest?status=active&_count=20&_offset=%d" % (a.stored // 2), runs=3)
        assert len(deep.get("entry", [])) == 20 and "total" not in body and counted.get("total") == a.stored
        print(json.dumps({"stored": a.stored, "first_page_ms": first, "first_page_total_accurate_ms": accurate,
                          "deep_page_cursor_ms": cursor, "deep_page_offset_ms": offset}))
    finally:
        server.terminate()
        server.wait()

if __name__ == "__main__":
    sys.exit(main())
