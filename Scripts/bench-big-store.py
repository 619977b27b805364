#!/usr/bin/env python3
"""Correlation and de-duplication with 1,000,000 requests already stored: is throughput flat?

Usage: Scripts/bench-big-store.py [--stored 1000000] [--pairs 2000] [--postroom .build/release/postroom] [--out bench-out/big-store]

Runs the same load — N orders (ORM^O01) then the N results that answer them (ORU^R01), so every
result is correlated and its Task completed — twice: into an empty store, and into a store that
already holds --stored requests (with their keys, Tasks, de-duplication keys and search rows,
inserted directly with sqlite3 after Postroom created the schema). Prints one JSON line with the
files/s of both and their ratio.
"""
import argparse, json, os, shutil, sqlite3, subprocess, sys, time

from benchdata import nhs, orm, oru

def prepare(run, postroom):
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    config = os.path.join(run, "pipeline.json")
    json.dump({"data": "data", "channels": [
        {"name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": {"mode": "rename"}},
        {"name": "results", "formats": ["hl7v2"], "role": "placer", "completion": {"mode": "rename"}}]}, open(config, "w"))
    subprocess.run([postroom, "run", "--once", "--config", config, "--quiet"], check=True, cwd=run,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return config

def fill(db, count):
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=OFF")
    now = "2026-11-01T00:00:00.000Z"
    for start in range(0, count, 50_000):
        rows = range(start, min(start + 50_000, count))
        c.executemany("INSERT INTO resource (type, id, version, last_updated, json, message_id) VALUES ('ServiceRequest', ?, 1, ?, ?, 'bulk')",
                      (("bulk%d" % n, now, json.dumps({"resourceType": "ServiceRequest", "id": "bulk%d" % n, "status": "active",
                        "intent": "order", "subject": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs(n)}}}).encode())
                       for n in rows))
        c.executemany("INSERT INTO request (id, channel, status, is_referral, patient_keys, created_at, updated_at, message_id) VALUES (?, 'orders', 'active', 0, ?, ?, ?, 'bulk')",
                      (("bulk%d" % n, json.dumps(["nhs|" + nhs(n)]), now, now) for n in rows))
        c.executemany("INSERT INTO request_key (key, request_id) VALUES (?, ?)",
                      (k for n in rows for k in (("plac|BULKSYS|B%d" % n, "bulk%d" % n), ("ref|ServiceRequest/bulk%d" % n, "bulk%d" % n))))
        c.executemany("INSERT INTO task (id, status, focus_request_id, channel, created_at, updated_at) VALUES (?, 'requested', ?, 'orders', ?, ?)",
                      (("t-bulk%d" % n, "bulk%d" % n, now, now) for n in rows))
        c.executemany("INSERT INTO dedupe_key (key, message_id, drop_id) VALUES (?, 'bulk', 'bulk')",
                      (("v2|BULKSYS|A83008|B-%d" % n,) for n in rows))
        c.executemany("INSERT INTO search_param (src_type, src_id, type, id, name, system, value) VALUES ('ServiceRequest', ?, 'ServiceRequest', ?, 'status', NULL, 'active')",
                      (("bulk%d" % n, "bulk%d" % n) for n in rows))
        c.commit()
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()

def run_load(run, config, pairs, postroom):
    data = os.path.join(run, "data")
    for ch, make in (("orders", orm), ("results", oru)):
        d = os.path.join(data, "inbox", ch)
        os.makedirs(d, exist_ok=True)
        for n in range(pairs):
            open(os.path.join(d, "%s-%06d.hl7" % (ch, n)), "wb").write(make(n))
    t = time.monotonic()
    r = subprocess.run([postroom, "run", "--once", "--config", config, "--quiet", "--json"], cwd=run, capture_output=True)
    wall = time.monotonic() - t
    s = json.loads(r.stdout)
    accepted = sum(c["accepted"] for c in s["channels"].values())
    assert accepted == 2 * pairs, "every order and result must be accepted: %s" % r.stdout
    return 2 * pairs / wall

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", type=int, default=1_000_000)
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--postroom", default=".build/release/postroom")
    ap.add_argument("--out", default="bench-out/big-store")
    a = ap.parse_args()
    postroom = os.path.abspath(a.postroom)
    out = os.path.abspath(a.out)
    empty_run = os.path.join(out, "empty")
    empty = run_load(empty_run, prepare(empty_run, postroom), a.pairs, postroom)
    big_run = os.path.join(out, "big")
    config = prepare(big_run, postroom)
    t = time.monotonic()
    fill(os.path.join(big_run, "data", "postroom.sqlite"), a.stored)
    filled = time.monotonic() - t
    big = run_load(big_run, config, a.pairs, postroom)
    print(json.dumps({"stored": a.stored, "pairs": a.pairs, "empty_files_per_s": round(empty, 1),
                      "big_files_per_s": round(big, 1), "ratio": round(big / empty, 3), "fill_seconds": round(filled, 1)}))

if __name__ == "__main__":
    sys.exit(main())
