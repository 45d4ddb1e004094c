#!/usr/bin/env python3
"""Ticket creation over HTTP: walletdesk vs django-helpdesk, same load generator, one run.

Started by run.sh, which makes the venv and the PostgreSQL cluster; stdlib only. For each system
and backend: start the server on 127.0.0.1, sample idle RSS, then for each concurrency run wrk
(tickets.lua) for a warm-up and a measured window while sampling RSS and CPU, stop the server,
check the ticket count in the database. Prints a table and writes results.md and results.json.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- /proc helpers --------------------------------------------------------------------------

def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree(root):
    """root and all its descendants."""
    kids = children_map()
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def status_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pids):
    return sum(status_kb(p, "VmRSS") for p in pids)


def cpu_ticks(pids):
    """{pid: utime + stime} in clock ticks."""
    out = {}
    for p in pids:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        out[p] = int(f[11]) + int(f[12])
    return out


def cpu_delta(before, after):
    """CPU used between two snapshots by the processes alive at the end (new ones from 0)."""
    return sum(t - before.get(p, 0) for p, t in after.items())


def machine_ticks():
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + f[4]
    return sum(f[:8]) - idle, sum(f[:8])


def loadavg():
    return float(Path("/proc/loadavg").read_text().split()[0])


class RssSampler:
    """Samples the summed VmRSS of a process tree every 50 ms."""

    def __init__(self, root):
        self.root, self.peak, self._stop = root, 0, threading.Event()
        self._pids = tree(root)
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        n = 0
        while not self._stop.is_set():
            if n % 20 == 0:  # re-scan the tree once a second
                self._pids = tree(self.root)
            self.peak = max(self.peak, rss_kb(self._pids))
            n += 1
            self._stop.wait(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


# --- servers --------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def psql(pg, db, sql):
    return subprocess.run(
        [pg["psql"], "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(pg["port"]), "-U", "postgres",
         "-d", db, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


class Walletdesk:
    name = "walletdesk"

    def __init__(self, binary, backend, work, pg):
        self.binary, self.backend, self.pg = binary, backend, pg
        self.dir = Path(work) / f"walletdesk-{backend}"
        self.dir.mkdir()
        self.db_url = ""
        if backend == "postgres":
            psql(pg, "postgres", "CREATE DATABASE walletdesk")
            self.db_url = f"postgres://postgres@127.0.0.1:{pg['port']}/walletdesk"
        # The bench sends every ticket from one IP: raise the per-IP and per-address limits.
        (self.dir / "walletdesk.toml").write_text(
            'listen = "127.0.0.1:0"\n'
            f'data_dir = "{self.dir / "data"}"\n'
            f'database_url = "{self.db_url}"\n'
            "demo = false\n"
            "[limits]\n"
            "window_secs = 600\n"
            "tickets_per_ip = 4000000000\n"
            "tickets_per_email = 1000000\n")

    def start(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("WALLETDESK_") and k != "DATABASE_URL"}
        self.log = open(self.dir / "server.log", "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--config", str(self.dir / "walletdesk.toml")],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env, cwd=self.dir)
        end = time.time() + 60
        while time.time() < end:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"walletdesk exited; see {self.dir / 'server.log'}")
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            raise RuntimeError("walletdesk did not print its address")
        # Drain the rest of stdout so the server never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        wait_http(self.url + "/")
        self.root = self.proc.pid
        return self

    def wrk_args(self):
        return ["walletdesk"]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def count_tickets(self):
        if self.backend == "postgres":
            return int(psql(self.pg, "walletdesk", "SELECT count(*) FROM tickets"))
        con = sqlite3.connect(self.dir / "data" / "walletdesk.db")
        try:
            return con.execute("SELECT count(*) FROM tickets").fetchone()[0]
        finally:
            con.close()


DJANGO_SETTINGS = '''
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "rest_framework.authtoken", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchsite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "benchsite.wsgi.application"
DATABASES = {"default": %(db)s}
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
MEDIA_ROOT = str(BASE_DIR / "media")
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_TEAMS_MODE_ENABLED = False
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
    "rest_framework.authentication.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
'''

DJANGO_URLS = '''
from django.contrib import admin
from django.urls import include, path
urlpatterns = [path("admin/", admin.site.urls), path("helpdesk/", include("helpdesk.urls"))]
'''

DJANGO_WSGI = '''
import os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
application = get_wsgi_application()
'''

DJANGO_SETUP = '''
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
u = get_user_model().objects.create_superuser("bench", "bench@bench.example", "bench-password-1")
t = Token.objects.create(user=u)
q = Queue.objects.create(title="Bench", slug="bench", allow_public_submission=True)
print("SETUP", t.key, q.id)
'''


class DjangoHelpdesk:
    name = "django-helpdesk"

    def __init__(self, venv, backend, work, pg):
        self.venv, self.backend, self.pg = Path(venv), backend, pg
        self.dir = Path(work) / f"django-{backend}"
        (self.dir / "benchsite").mkdir(parents=True)
        if backend == "postgres":
            psql(pg, "postgres", "CREATE DATABASE helpdesk")
            db = {"ENGINE": "django.db.backends.postgresql", "NAME": "helpdesk",
                  "USER": "postgres", "HOST": "127.0.0.1", "PORT": str(pg["port"]),
                  "CONN_MAX_AGE": 600}
        else:
            # WAL, synchronous=FULL (as walletdesk), a busy timeout, and BEGIN IMMEDIATE so two
            # workers writing at once wait for each other instead of failing.
            db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.dir / "db.sqlite3"),
                  "CONN_MAX_AGE": 600,
                  "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                              "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL"}}
        (self.dir / "benchsite" / "__init__.py").write_text("")
        (self.dir / "benchsite" / "settings.py").write_text(DJANGO_SETTINGS % {"db": repr(db)})
        (self.dir / "benchsite" / "urls.py").write_text(DJANGO_URLS)
        (self.dir / "benchsite" / "wsgi.py").write_text(DJANGO_WSGI)
        self.env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchsite.settings",
                        PYTHONPATH=str(self.dir))
        py = str(self.venv / "bin" / "python")
        run = lambda *a: subprocess.run([py, "-m", "django", *a], cwd=self.dir, env=self.env,
                                        check=True, capture_output=True, text=True).stdout
        run("migrate", "--noinput")
        out = run("shell", "-c", DJANGO_SETUP)
        _, self.token, self.queue = re.search(r"SETUP (\S+) (\d+)", out).group(0).split()

    def start(self):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(self.dir / "server.log", "w")
        self.proc = subprocess.Popen(
            [str(self.venv / "bin" / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "benchsite.wsgi:application"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir, env=self.env)
        wait_http(self.url + "/helpdesk/api/tickets/")
        self.root = self.proc.pid
        return self

    def wrk_args(self):
        return ["django", "x", self.token, self.queue]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def count_tickets(self):
        py = str(self.venv / "bin" / "python")
        out = subprocess.run(
            [py, "-m", "django", "shell", "-c",
             "from helpdesk.models import Ticket; print('COUNT', Ticket.objects.count())"],
            cwd=self.dir, env=self.env, check=True, capture_output=True, text=True).stdout
        return int(re.search(r"COUNT (\d+)", out).group(1))


# --- load -----------------------------------------------------------------------------------

def wrk(url, conns, secs, args, tag):
    """Runs wrk once; returns its BENCH record plus the CPU wrk itself used (seconds)."""
    a = list(args)
    if a[0] == "walletdesk":
        a = ["walletdesk", tag]
    else:
        a[1] = tag
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency",
         "-s", str(HERE / "tickets.lua"), url, "--", *a],
        capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r"^BENCH (\{.*\})$", p.stdout, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({p.returncode}): {p.stdout}\n{p.stderr}")
    rec = json.loads(m.group(1))
    rec["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rec


def measure(server, db_root, levels, warmup, duration, run_id):
    results = []
    for c in levels:
        wrk(server.url, c, warmup, server.wrk_args(), f"{run_id}w{c}")
        srv_pids = tree(server.root)
        db_pids = tree(db_root) if db_root else []
        s0, d0 = cpu_ticks(srv_pids), cpu_ticks(db_pids)
        m0, la0, t0 = machine_ticks(), loadavg(), time.time()
        with RssSampler(server.root) as rs:
            rec = wrk(server.url, c, duration, server.wrk_args(), f"{run_id}m{c}")
        t1 = time.time()
        srv_pids = tree(server.root)
        db_pids = tree(db_root) if db_root else []
        s1, d1 = cpu_ticks(srv_pids), cpu_ticks(db_pids)
        m1, la1 = machine_ticks(), loadavg()
        wall = t1 - t0
        secs = rec["duration_us"] / 1e6
        busy = (m1[0] - m0[0]) / HZ
        srv = cpu_delta(s0, s1) / HZ
        dbc = cpu_delta(d0, d1) / HZ
        errors = (rec["requests"] - rec["created"]) + rec["connect_err"] + rec["read_err"] \
            + rec["write_err"] + rec["timeout"]
        r = {
            "concurrency": c,
            "tickets_per_s": rec["created"] / secs,
            "created": rec["created"],
            "errors": errors,
            "p50_ms": rec["p50_us"] / 1000, "p90_ms": rec["p90_us"] / 1000,
            "p99_ms": rec["p99_us"] / 1000, "max_ms": rec["max_us"] / 1000,
            "peak_rss_kb": rs.peak,
            "server_cores": srv / wall, "db_cores": dbc / wall,
            "wrk_cores": rec["wrk_cpu_s"] / wall,
            "other_cores": max(0.0, busy - srv - dbc - rec["wrk_cpu_s"]) / wall,
            "server_cpu_ms_per_ticket": 1000 * (srv + dbc) / max(1, rec["created"]),
            "load_before": la0, "load_after": la1,
            "wrk": rec,
        }
        results.append(r)
        print(f"  c={c:<3} {r['tickets_per_s']:8.1f} tickets/s  p50 {r['p50_ms']:7.2f} ms  "
              f"p99 {r['p99_ms']:7.2f} ms  errors {errors}  "
              f"cpu: server {r['server_cores']:.2f} db {r['db_cores']:.2f} "
              f"wrk {r['wrk_cores']:.2f} other {r['other_cores']:.2f} cores  "
              f"load {la0:.1f}->{la1:.1f}", flush=True)
        if rec["first_err"]:
            print(f"        first non-201: {rec['first_err'][:160]}", flush=True)
    return results


def run_system(cls, arg, backend, work, pg, levels, warmup, duration, idle_settle):
    label = f"{cls.name} / {backend}"
    print(f"== {label}", flush=True)
    server = cls(arg, backend, work, pg)
    server.start()
    time.sleep(idle_settle)
    pids = tree(server.root)
    idle = rss_kb(pids)
    print(f"  idle RSS {idle / 1024:.1f} MiB over {len(pids)} process(es)", flush=True)
    try:
        res = measure(server, pg["postmaster"] if backend == "postgres" else None,
                      levels, warmup, duration, f"{backend[0]}{int(time.time())}")
        time.sleep(1)
        after = rss_kb(tree(server.root))
        hwm = sum(status_kb(p, "VmHWM") for p in tree(server.root))
    finally:
        server.stop()
    expected = sum(r["wrk"]["created"] for r in res)
    count = server.count_tickets()
    print(f"  RSS after load {after / 1024:.1f} MiB; tickets in the database: {count} "
          f"(201 responses in measured windows: {expected}, plus warm-ups)", flush=True)
    return {"system": cls.name, "backend": backend, "idle_rss_kb": idle,
            "peak_rss_kb": max(r["peak_rss_kb"] for r in res), "hwm_kb": hwm,
            "after_rss_kb": after, "processes": len(pids), "db_tickets": count, "levels": res}


# --- report ---------------------------------------------------------------------------------

def mib(kb):
    return f"{kb / 1024:.1f} MiB ({kb * 1024 / 1e6:.1f} MB)"


def report(systems, meta):
    L = []
    L.append("| system | backend | concurrency | tickets/s | p50 (ms) | p99 (ms) | errors "
             "| server+db CPU per ticket (ms) | CPU: server / db / wrk / other (cores) |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for s in systems:
        for r in s["levels"]:
            L.append(f"| {s['system']} | {s['backend']} | {r['concurrency']} "
                     f"| {r['tickets_per_s']:.1f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
                     f"| {r['errors']} | {r['server_cpu_ms_per_ticket']:.2f} "
                     f"| {r['server_cores']:.2f} / {r['db_cores']:.2f} / {r['wrk_cores']:.2f}"
                     f" / {r['other_cores']:.2f} |")
    L.append("")
    L.append("| system | backend | processes | idle RSS | peak RSS (sampled, 50 ms) "
             "| RSS after load | tickets in DB |")
    L.append("|---|---|---:|---|---|---|---:|")
    for s in systems:
        L.append(f"| {s['system']} | {s['backend']} | {s['processes']} | {mib(s['idle_rss_kb'])} "
                 f"| {mib(s['peak_rss_kb'])} | {mib(s['after_rss_kb'])} | {s['db_tickets']} |")
    L.append("")
    by = {(s["system"], s["backend"]): s for s in systems}
    L.append("| backend | concurrency | walletdesk tickets/s | django-helpdesk tickets/s "
             "| ratio | ≥ 20× | CPU per ticket, django/walletdesk |")
    L.append("|---|---:|---:|---:|---:|---|---:|")
    ratios = []
    for backend in ("sqlite", "postgres"):
        w, d = by.get(("walletdesk", backend)), by.get(("django-helpdesk", backend))
        if not (w and d):
            continue
        for rw, rd in zip(w["levels"], d["levels"]):
            ratio = rw["tickets_per_s"] / rd["tickets_per_s"] if rd["tickets_per_s"] else float("inf")
            ratios.append(ratio)
            L.append(f"| {backend} | {rw['concurrency']} | {rw['tickets_per_s']:.1f} "
                     f"| {rd['tickets_per_s']:.1f} | {ratio:.1f}× | {'yes' if ratio >= 20 else 'NO'} "
                     f"| {rd['server_cpu_ms_per_ticket'] / max(1e-9, rw['server_cpu_ms_per_ticket']):.1f}× |")
    L.append("")
    w = by.get(("walletdesk", "sqlite"))
    if w:
        c16 = [r for r in w["levels"] if r["concurrency"] == 16]
        if c16:
            p99 = c16[0]["p99_ms"]
            L.append(f"- p99 at concurrency 16 on SQLite: {p99:.2f} ms — target < 25 ms: "
                     f"**{'met' if p99 < 25 else 'NOT met'}**")
        idle = [s["idle_rss_kb"] for s in systems if s["system"] == "walletdesk"]
        worst = max(idle)
        L.append(f"- walletdesk idle RSS: {', '.join(mib(k) for k in idle)} — target < 60 MB: "
                 f"**{'met' if worst * 1024 < 60e6 else 'NOT met'}**")
    if ratios:
        L.append(f"- throughput ratio walletdesk/django-helpdesk: {min(ratios):.1f}×–"
                 f"{max(ratios):.1f}× — target ≥ 20× at every concurrency: "
                 f"**{'met' if min(ratios) >= 20 else 'NOT met'}**")
    loads = [x for s in systems for r in s["levels"] for x in (r["load_before"], r["load_after"])]
    L.append(f"- load average (1 min) during the measured windows: {min(loads):.1f}–{max(loads):.1f} "
             f"on {os.cpu_count()} cores")
    L.append(f"- {meta}")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--walletdesk-bin", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--pg-port", type=int)
    ap.add_argument("--pg-bin")
    ap.add_argument("--levels", default="1,4,16")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--idle-settle", type=float, default=3)
    ap.add_argument("--only", default="", help="comma list of system/backend to run")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    pg = None
    if args.pg_port:
        pid_file = Path(os.environ["BENCH_PG_DATA"]) / "postmaster.pid"
        pg = {"port": args.pg_port, "psql": str(Path(args.pg_bin) / "psql"),
              "postmaster": int(pid_file.read_text().split()[0])}
    work = tempfile.mkdtemp(prefix="benchtix-")
    plan = [(Walletdesk, args.walletdesk_bin, "sqlite"), (DjangoHelpdesk, args.venv, "sqlite")]
    if pg:
        plan += [(Walletdesk, args.walletdesk_bin, "postgres"),
                 (DjangoHelpdesk, args.venv, "postgres")]
    if args.only:
        want = set(args.only.split(","))
        plan = [p for p in plan if f"{p[0].name}/{p[2]}" in want]
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    systems = []
    try:
        for cls, arg, backend in plan:
            systems.append(run_system(cls, arg, backend, work, pg, levels, args.warmup,
                                      args.duration, args.idle_settle))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta = (f"run {started}; wrk 1 thread, {args.warmup} s warm-up + {args.duration} s measured "
            f"per level; {os.cpu_count()} cores; `{os.environ.get('BENCH_CMD', 'bench.py')}`")
    text = report(systems, meta)
    print()
    print(text)
    Path(args.out).write_text("# Ticket creation over HTTP: results\n\n" + text + "\n")
    Path(args.out).with_suffix(".json").write_text(json.dumps(systems, indent=1) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
