#!/usr/bin/env python3
"""Runs roundup on the hostile mix and measures it: exit, wall time, peak RSS of the main
process and of its workers (and any LibreOffice), connections to the links' listener, outputs
that open, and the good units' results against a run on the good round alone.

usage: measure.py ROUNDUP GOOD_ROUND WORKDIR [--full]

Linux only (it reads /proc). Prints one JSON object and exits 0 when every check holds.
"""
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MARKERS = ["进展A", "进展B", "进展C", "进展E", "进展甲", "进展乙", "进展丙", "进展一", "进展二", "进展三", "推推推", "工作工作工作"]


class Listener:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children_of(root):
    """Every live descendant of root: pid -> command name."""
    parents = {}
    names = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = open(stat).read()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        name = text[text.index("(") + 1 : text.rindex(")")]
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        parents[pid] = ppid
        names[pid] = name
    found = {}
    frontier = [root]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found[child] = names[child]
                frontier.append(child)
    return found


def run(binary, inbox, outbox):
    """Runs one round, polling memory; returns exit, wall and peaks (MiB)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [binary, "run", "--round", "2024Q1", "--inbox", inbox, "--outbox", outbox, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    main_peak = 0
    worker_peaks = {}
    while proc.poll() is None:
        hwm = status_kib(proc.pid, "VmHWM")
        if hwm:
            main_peak = max(main_peak, hwm)
        for pid, name in children_of(proc.pid).items():
            rss = status_kib(pid, "VmHWM")
            if rss:
                key = "libreoffice" if "soffice" in name or "oosplash" in name else "worker"
                worker_peaks.setdefault(key, {})
                worker_peaks[key][pid] = max(worker_peaks[key].get(pid, 0), rss)
        time.sleep(0.02)
    out, err = proc.communicate()
    wall = time.monotonic() - started
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 2),
        "main_peak_mib": round(main_peak / 1024, 1),
        "worker_peak_mib": {k: round(max(v.values()) / 1024, 1) for k, v in worker_peaks.items()},
        "processes": {k: len(v) for k, v in worker_peaks.items()},
        "stderr_tail": err.decode("utf-8", "replace")[-400:],
    }


def outputs_open(folder):
    import docx
    import openpyxl

    failures = []
    count = 0
    for path in sorted(glob.glob(os.path.join(folder, "**", "*"), recursive=True)):
        if "/logs/" in path or os.path.isdir(path):
            continue
        count += 1
        try:
            if path.endswith(".xlsx"):
                openpyxl.load_workbook(path).close()
            elif path.endswith(".docx"):
                docx.Document(path)
            elif path.endswith(".json"):
                json.load(open(path, encoding="utf-8"))
        except Exception as e:  # noqa: BLE001
            failures.append(f"{os.path.basename(path)}: {e}")
    return count, failures


def libreoffice_opens(folder, scratch):
    soffice = shutil.which("soffice")
    if not soffice:
        return "skipped: soffice not on PATH"
    targets = [p for p in glob.glob(os.path.join(folder, "*")) if p.endswith((".docx", ".xlsx"))]
    out = os.path.join(scratch, "pdf")
    profile = os.path.join(scratch, "lo-profile")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", out]
        + targets,
        capture_output=True,
        timeout=600,
    )
    made = len(glob.glob(os.path.join(out, "*.pdf")))
    return f"{made}/{len(targets)}"


def unit_rows(report, exclude):
    rows = {}
    for task in report["tasks"]:
        for r in task.get("reports", []):
            if r["unit"] not in exclude:
                rows[(task["id"], r["unit"], r.get("file"))] = r
    return rows


def leaks(folder, victims):
    """Feedback workbooks of units other than the victims that quote a victim's text."""
    import openpyxl

    found = []
    for path in glob.glob(os.path.join(folder, "**", "*.xlsx"), recursive=True):
        name = os.path.basename(path)
        if not any(u in name for u in ("反馈", "feedback")) or any(v in name for v in victims):
            continue
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and any(m in v for m in MARKERS):
                        found.append(f"{name}: {v[:40]}")
        wb.close()
    return found


def main():
    binary, good_round, work = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    full = "--full" in sys.argv
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    listener = Listener()
    clean_inbox = os.path.join(work, "clean")
    shutil.copytree(good_round, os.path.join(clean_inbox, "2024Q1"))
    clean = run(binary, clean_inbox, os.path.join(work, "clean-out"))
    made = subprocess.run(
        [sys.executable, os.path.join(HERE, "make_mix.py"), good_round, os.path.join(work, "inbox"), str(listener.port)]
        + (["--full"] if full else []),
        capture_output=True,
        text=True,
        check=True,
    )
    mix = json.loads(made.stdout)
    victims = mix["victims"]
    before = snapshot(os.path.join(work, "inbox"))
    result = run(binary, os.path.join(work, "inbox"), os.path.join(work, "out"))
    result["connections"] = listener.connections
    result["inbox_unchanged"] = snapshot(os.path.join(work, "inbox")) == before
    round_out = os.path.join(work, "out", "2024Q1")
    result["outputs"], result["open_failures"] = outputs_open(round_out)
    result["libreoffice_opens"] = libreoffice_opens(round_out, work)
    report = json.load(open(os.path.join(round_out, "roundup.json"), encoding="utf-8"))
    clean_report = json.load(open(os.path.join(work, "clean-out", "2024Q1", "roundup.json"), encoding="utf-8"))
    good_now = unit_rows(report, victims)
    good_before = unit_rows(clean_report, victims)
    result["good_rows"] = len(good_before)
    result["good_rows_changed"] = sorted(str(k) for k in set(good_now) ^ set(good_before)) + sorted(
        str(k) for k in good_before if k in good_now and good_now[k] != good_before[k]
    )
    result["victims_read"] = sorted({r["unit"] for t in report["tasks"] for r in t["reports"] if r["unit"] in victims})
    result["leaks"] = leaks(round_out, victims)
    result["inputs"] = mix["files"]
    manifest = json.load(open(os.path.join(round_out, "manifest.json"), encoding="utf-8"))
    outcomes = {}
    for item in manifest["inputs"]:
        outcomes[item["outcome"]] = outcomes.get(item["outcome"], 0) + 1
    result["manifest_outcomes"] = outcomes
    result["clean"] = {k: clean[k] for k in ("exit", "wall_s", "main_peak_mib", "worker_peak_mib")}
    os.chmod(os.path.join(work, "inbox", "2024Q1", "hostile-unlistable"), 0o755)
    ok = (
        result["exit"] == 1
        and result["connections"] == 0
        and result["inbox_unchanged"]
        and not result["open_failures"]
        and not result["good_rows_changed"]
        and not result["leaks"]
    )
    result["ok"] = ok
    print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if ok else 1)


def snapshot(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            out[path] = (st.st_size, st.st_mtime_ns)
    return out


if __name__ == "__main__":
    main()
