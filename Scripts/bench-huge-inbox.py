#!/usr/bin/env python3
"""A 1,000,000-file inbox: peak RSS and the time to the first acknowledgement.

Usage: Scripts/bench-huge-inbox.py [--files 1000000] [--seconds 60] [--postroom .build/release/postroom] [--out bench-out/huge-inbox]

Creates (once) an inbox of one-message HL7 v2 ORU files, starts `postroom run --once` on it,
notes when the first acknowledgement appears in the outbox, lets it run for --seconds, stops it
(SIGKILL: Postroom is crash-safe, the next run would finish the work) and prints one JSON line with
the time to the first ACK, the drops finished, and the peak RSS of the process (from /proc).
It also prints the CPU time (user + system, all threads) the process had used when the first ACK
appeared: on a shared machine that figure moves much less than the wall-clock time.
"""
import argparse, json, os, shutil, signal, subprocess, sys, time

from benchdata import oru

def cpu_seconds(pid):
    """User + system CPU time of a process so far (all its threads), from /proc/<pid>/stat."""
    try:
        fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--postroom", default=".build/release/postroom")
    ap.add_argument("--out", default="bench-out/huge-inbox")
    ap.add_argument("--reuse-load", action="store_true",
                    help="keep the load and give each run hard links to it: no million files to write and, "
                         "on a file system mounted with `discard`, no million blocks to free per run")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    load = os.path.join(out, "load")
    stamp = os.path.join(load, ".count")
    if not os.path.exists(stamp) or open(stamp).read() != str(a.files):
        shutil.rmtree(load, ignore_errors=True)
        os.makedirs(load)
        for n in range(a.files):
            with open(os.path.join(load, "m%07d.hl7" % n), "wb") as f:
                f.write(oru(n, control="H"))
        open(stamp, "w").write(str(a.files))
    run = os.path.join(out, "run")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(os.path.join(run, "data", "inbox"))
    inbox = os.path.join(run, "data", "inbox", "results")
    if a.reuse_load:
        # The same files (same mtimes), linked in the order they were written.
        os.makedirs(inbox)
        for name in sorted(os.listdir(load)):
            if name != ".count":
                os.link(os.path.join(load, name), os.path.join(inbox, name))
    else:
        # A rename within the file system: the load becomes the inbox (and is rebuilt next time).
        os.rename(load, inbox)
        os.remove(os.path.join(inbox, ".count"))
    config = os.path.join(run, "pipeline.json")
    json.dump({"data": "data", "channels": [{"name": "results", "formats": ["hl7v2"], "role": "placer",
                                             "completion": {"mode": "rename"}}]}, open(config, "w"))
    outbox = os.path.join(run, "data", "outbox", "results")
    # The million names just linked (or the load just written) are the harness's own dirty metadata:
    # flushed here, so Postroom's first fsync does not pay for them inside the measured time.
    os.sync()
    start = time.monotonic()
    p = subprocess.Popen([os.path.abspath(a.postroom), "run", "--once", "--config", config, "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=run)
    first = None
    first_cpu = None
    peak = 0
    while time.monotonic() - start < a.seconds and p.poll() is None:
        if first is None and os.path.isdir(outbox):
            with os.scandir(outbox) as it:
                if any(not e.name.startswith(".") for e in it):
                    first = time.monotonic() - start
                    first_cpu = cpu_seconds(p.pid)
        try:
            for line in open("/proc/%d/status" % p.pid):
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except FileNotFoundError:
            pass
        time.sleep(0.005 if first is None else 0.2)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    p.wait()
    done = len([n for n in os.listdir(outbox)]) if os.path.isdir(outbox) else 0
    print(json.dumps({"files": a.files, "first_ack_seconds": first,
                      "first_ack_cpu_seconds": first_cpu, "acks_after_seconds": a.seconds,
                      "acks": done, "peak_rss_mib": round(peak / 1024, 1)}))

if __name__ == "__main__":
    sys.exit(main())
