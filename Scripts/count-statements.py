#!/usr/bin/env python3
"""SQLite statements stepped per drop: a count that does not move with the machine's load.

Usage: Scripts/count-statements.py --folder RUN [--postroom .build/release/postroom] [--runs 1] [--messages N]

RUN is a run folder as `postroom-bench --keep --scratch-fs none` leaves it (its `pipeline.json` and
a `data/` whose inbox holds the load); it is copied (hard links for the inbox's files) and
`postroom run --once` runs on the copy under `perf stat` with a user probe on SQLite's
`sqlite3_step`, which every statement calls once per row it steps (an INSERT once, a look-up once
or twice). Prints one JSON line: drops, steps, steps per drop (per message with --messages, for a
batch file), and the wall and CPU seconds.

Needs what `perf probe` needs: Linux uprobes, root (or perf_event_paranoid -1 with tracefs access),
and a postroom linked to a shared libsqlite3 (the release build is). Instruction counters are not
available on every machine (a VM without a PMU answers "not supported"); this count is, and it is
the figure to compare across commits when wall-clock medians are within the noise.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time


def libsqlite(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    m = re.search(r"libsqlite3\.so[^ ]* => (\S+)", out)
    if not m:
        sys.exit(f"{binary} is not linked to a shared libsqlite3")
    return m.group(1)


def ensure_probe(lib):
    listed = subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout
    if "sqlite3_step" not in listed:
        r = subprocess.run(["perf", "probe", "-x", lib, "sqlite3_step"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("perf probe failed (uprobes, root?): " + r.stderr.strip())
    m = re.search(r"(probe_\w+:sqlite3_step)", subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout)
    return m.group(1) if m else "probe_libsqlite3:sqlite3_step"


def copy_folder(src, dst):
    shutil.copy(os.path.join(src, "pipeline.json"), dst)
    # Hard links where the file system allows (the run renames them away, the originals stay).
    shutil.copytree(os.path.join(src, "data"), os.path.join(dst, "data"), copy_function=os.link)


def count_inbox(folder):
    inbox = os.path.join(folder, "data", "inbox")
    return sum(len(files) for _, _, files in os.walk(inbox))


def run_once(binary, folder, event, messages):
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(folder))) as tmp:
        copy_folder(folder, tmp)
        drops = count_inbox(tmp)
        started = time.monotonic()
        r = subprocess.run(["perf", "stat", "-x", ",", "-e", event, "-e", "task-clock", binary, "run", "--once",
                            "--config", "pipeline.json"], cwd=tmp, capture_output=True, text=True)
        wall = time.monotonic() - started
        if r.returncode not in (0, 65):
            sys.exit(f"postroom exited {r.returncode}: {r.stderr[-2000:]}")
        steps = cpu_ms = None
        for line in r.stderr.splitlines():
            parts = line.split(",")
            if len(parts) > 2 and parts[2].endswith("sqlite3_step"):
                steps = int(parts[0])
            elif len(parts) > 2 and parts[2] == "task-clock":
                cpu_ms = float(parts[0])
        if steps is None:
            sys.exit("perf stat printed no count for " + event + ": " + r.stderr[-2000:])
        out = {"drops": drops, "steps": steps, "steps_per_drop": round(steps / max(drops, 1), 2)}
        if messages:
            out["steps_per_message"] = round(steps / messages, 2)
        return out | {"wall_s": round(wall, 3), "cpu_s": round((cpu_ms or 0) / 1000, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", required=True)
    ap.add_argument("--postroom", default=".build/release/postroom")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--messages", type=int, default=0, help="messages in the load (a batch file's), for a per-message figure")
    a = ap.parse_args()
    event = ensure_probe(libsqlite(a.postroom))
    for _ in range(a.runs):
        print(json.dumps(run_once(a.postroom, a.folder, event, a.messages)))


if __name__ == "__main__":
    main()
