#!/usr/bin/env python3
"""Microsoft Entra ID connector benchmark: export and delta import against the Graph emulator.

What it measures, each on a throwaway emulated tenant (tests/integration/msgraph/graph_emulator,
started as a subprocess through the integration tests' harness, graph_emulator_process.py):

  * Export of --users new users. An HR CSV of that many people is imported by a `file`
    connector (HR), synced ("Full Sync": projection into the metaverse and provisioning into
    Entra by an outbound rule, as the connector's integration tests configure it), then
    `idsync run-profile --connector Entra --profile "Export" --json` is timed: the step's own
    elapsed_ms and the wall time of the whole CLI process. The emulator's request log is read
    after the step: outer HTTP requests, $batch sub-requests and writes (POST, PATCH, DELETE
    sub-requests and requests), each counted and divided by the time between the first and the
    last request the emulator saw. Variants (--variants, comma separated):
      plain   no write pace, matching off (hard_match, soft_match_upn, soft_match_smtp false):
              one $batch round of creates per export batch;
      match   no write pace, matching on (the connector's defaults): before the creates, one
              round of $filter reads per batch (three per new user: onPremisesImmutableId,
              userPrincipalName, proxyAddresses);
      paced   writes_per_interval/write_interval_seconds set to --pace (default 200/1), matching
              off. For this one the log's write times also give the largest number of writes
              in any sliding window of the interval (the pace promises at most the limit), the
              shortest time any limit + 1 writes took (at least the interval, if the emulator
              saw the pace held), and the mean write rate over the export, against the limit.
    Every run is a new tenant and a new workspace, so every user is new.

  * Full Import of --directory-size cloud users (made with the emulator's generate_users), into
    a new store each round, and Delta Import of --changes users changed among them: each round
    gives --changes users spread over the directory a new jobTitle (the control API's update)
    and times "Delta Import". The same runs on a tenant of --small-directory users (default
    1,000), the rounds interleaved, to show whether the delta's cost grows with the directory.
    A delta that does not report exactly --changes updates fails the run.

Times are medians over --rounds rounds. CPU times are the idsync process's (user+system) and
the emulator's over the same step. The emulator is a Python server: the rates measure the
connector against it, not against Microsoft Graph.

Run from the source tree after a build (needs openssl for the emulator's certificates):

    cmake --build build --target idsync idsync_file idsync_msgraph
    python3 tools/bench/bench_msgraph.py --build-dir build --rounds 3

--build-dir (or the environment's IDSYNC_BUILD_DIR) is the CMake build folder whose bin/idsync
is run. The tables it prints at the end are markdown, ready for docs/benchmarks.md.
"""
import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
LDAP_HARNESS = os.path.join(SOURCE, "tests", "integration", "ldap")
GRAPH_HARNESS = os.path.join(SOURCE, "tests", "integration", "msgraph")
SUPPORT = os.path.join(SOURCE, "tests", "integration", "support")

CLIENT_ID = "3d0c5b8e-61a2-4f7e-b0d4-9e2a7c4f1b63"
DOMAIN = "idsync.test"
DEPARTMENTS = ("Finance", "Engineering", "Sales", "Support", "Marketing", "Operations", "Legal")
MATCHING_OFF = {"hard_match": False, "soft_match_upn": False, "soft_match_smtp": False}


def log(message):
    print(message, file=sys.stderr, flush=True)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def process_cpu(pid):
    """User and system CPU seconds of a running process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def rate(count, seconds):
    return count / seconds if seconds > 0 else float("inf")


# --- a tenant and a workspace -------------------------------------------------------------------

class Tenant:
    """A running Graph emulator with one app registration, in a folder of the run's own."""

    def __init__(self, root, name):
        from graph_emulator_process import GraphEmulator

        self.secret = "bench-secret-" + secrets.token_hex(8)
        self.graph = GraphEmulator(workdir=os.path.join(root, name),
                                   verified_domains=[DOMAIN])
        self.graph.start(timeout=60)
        try:
            self.graph.add_client(CLIENT_ID, secret=self.secret)
        except BaseException:
            self.stop()
            raise
        self.ids = []

    @property
    def pid(self):
        return self.graph.process.pid

    def stop(self):
        workdir = self.graph.workdir
        self.graph.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    def entra_config(self, ws, **over):
        config = {"tenant": self.graph.tenant, "client_id": CLIENT_ID,
                  "client_secret": ws.secret("client-secret", self.secret),
                  "authority": self.graph.authority_url, "graph": self.graph.base_url,
                  "ca_file": self.graph.ca_file}
        config.update(over)
        return config


class Workspace:
    """An idsync workspace (manifest, rules, store) on a tenant, and timed profile runs."""

    def __init__(self, tenant):
        from idsync_workspace import IdsyncWorkspace

        self.tenant = tenant
        self.ws = IdsyncWorkspace()

    def close(self):
        self.ws.close()

    def run(self, connector, profile):
        """Runs a profile through the CLI; its wall and CPU seconds, the emulator's CPU seconds
        meanwhile, and the step's JSON."""
        emulator_before, cpu_before = process_cpu(self.tenant.pid), children_cpu()
        started = time.perf_counter()
        p = self.ws.idsync("run-profile", "--connector", connector, "--profile", profile,
                           "--json", check=False, timeout=7200)
        wall = time.perf_counter() - started
        cpu = children_cpu() - cpu_before
        emulator_cpu = process_cpu(self.tenant.pid) - emulator_before
        try:
            step = json.loads(p.stdout)["steps"][0]
        except (ValueError, KeyError, IndexError):
            raise RuntimeError(f"run-profile {connector}/{profile} printed no step "
                               f"(exit {p.returncode}):\n{p.stdout}\n{p.stderr}")
        if p.returncode != 0 or step.get("status") != "success":
            raise RuntimeError(f"run-profile {connector}/{profile} failed (exit {p.returncode}):"
                               f" {step.get('status')}: {step.get('message')}\n{p.stderr}")
        return {"wall": wall, "client_cpu": cpu, "emulator_cpu": emulator_cpu,
                "step": step["elapsed_ms"] / 1000.0, "counters": step.get("counters", {})}


# --- export -------------------------------------------------------------------------------------

def write_hr_csv(path, people):
    from entra_export_rules import HR_COLUMNS
    from hr_source import write_rows
    write_rows(path, HR_COLUMNS, ((f"e{n:07d}", f"Given{n}", f"Sur{n}", f"Person {n}",
                                   DEPARTMENTS[n % len(DEPARTMENTS)], "true")
                                  for n in range(people)))


def export_rules(password):
    """The export tests' rules (tests/integration/msgraph/entra_export_rules.py)."""
    from entra_export_rules import entra_export_rules
    return entra_export_rules(DOMAIN, password)


def variant_settings(name, pace):
    """(description, connector settings, pace or None) of an export variant."""
    if name == "plain":
        return "no write pace, matching off", dict(MATCHING_OFF), None
    if name == "match":
        return "no write pace, matching on (hard, UPN, SMTP)", {}, None
    if name == "paced":
        writes, interval = pace
        return (f"pace {writes} writes per {interval} s, matching off",
                dict(MATCHING_OFF, writes_per_interval=writes, write_interval_seconds=interval),
                pace)
    raise ValueError(f"unknown export variant {name!r} (plain, match, paced)")


def max_in_window(times, interval):
    """The largest number of the sorted `times` in any half-open window (t - interval, t]."""
    best, first = 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= interval:
            first += 1
        best = max(best, last - first + 1)
    return best


def request_figures(entries, pace):
    """Counts and rates of what the emulator saw during one export."""
    if not entries:
        return {}
    times = [e["time"] for e in entries]
    span = max(times) - min(times)
    outer = sum(1 for e in entries if not e["in_batch"])
    sub = sum(1 for e in entries if e["in_batch"])
    writes = sorted(e["time"] for e in entries if e["write"])
    figures = {"span": span, "outer": outer, "sub": sub, "writes": len(writes),
               "outer_rate": rate(outer, span), "sub_rate": rate(sub, span),
               "write_rate": rate(len(writes), span),
               "throttled": sum(1 for e in entries if e["status"] == 429),
               "failed": sum(1 for e in entries if e["status"] >= 400 and e["status"] != 429)}
    if pace and writes:
        limit, interval = pace
        write_span = writes[-1] - writes[0]
        figures.update(
            window_max=max_in_window(writes, interval),
            # Under the pace, any limit + 1 writes span at least the interval. The emulator
            # stamps a write when it has handled it, so the figure also carries how long the
            # requests took to get there.
            shortest_span=min((writes[i + limit] - writes[i]
                               for i in range(len(writes) - limit)), default=None),
            write_span=write_span,
            # The mean over the span of the writes: n writes under the pace need at least
            # (ceil(n / limit) - 1) intervals, so the fair mean counts the first window's writes
            # as having taken one interval.
            paced_rate=rate(len(writes), write_span + interval),
            limit_rate=limit / interval)
    return figures


def export_run(root, hr_csv, variant, pace, users, password, number):
    description, settings, variant_pace = variant_settings(variant, pace)
    tenant = Tenant(root, f"emulator-export-{variant}-{number}")
    work = None
    try:
        work = Workspace(tenant)
        ws = work.ws
        from hr_source import add_hr_connector
        add_hr_connector(ws, hr_csv)
        ws.connector("Entra", "msgraph", tenant.entra_config(ws, **settings),
                     object_types=["user"])
        ws.rule("rules.json", export_rules(password))
        ws.write_manifest()
        work.run("Entra", "Full Import")
        hr = work.run("HR", "Full Import")
        if hr["counters"].get("adds") != users:
            raise RuntimeError(f"HR imported {hr['counters']}, expected {users} adds")
        work.run("HR", "Full Sync")
        tenant.graph.reset_requests()
        result = work.run("Entra", "Export")
        entries = sorted(tenant.graph.requests(), key=lambda e: e["time"])
        adds = result["counters"].get("adds")
        if adds != users:
            raise RuntimeError(f"the export ({description}) added {adds} users, expected "
                               f"{users}: {result['counters']}")
        result.update(request_figures(entries, variant_pace))
        result["variant"] = variant
        return result
    finally:
        if work:
            work.close()
        tenant.stop()


# --- full and delta import ----------------------------------------------------------------------

class CloudDirectory:
    """A tenant of `size` generated users, and a workspace whose Entra connector imports them."""

    def __init__(self, root, size, changes):
        self.size, self.changes, self.round = size, changes, 0
        self.tenant = Tenant(root, f"emulator-directory-{size}")
        started = time.monotonic()
        try:
            self.tenant.graph.generate_users(size, "cloud")
            ids = [u["id"] for u in self.tenant.graph.users()]
            if len(ids) != size:
                raise RuntimeError(f"the emulator holds {len(ids)} users, expected {size}")
        except BaseException:
            self.tenant.stop()
            raise
        # Users spread over the whole directory (in the emulator's order of creation).
        self.changed_ids = [ids[k * size // changes] for k in range(changes)]
        log(f"tenant of {size:,} users generated in {time.monotonic() - started:.1f} s")
        self.work = None

    def new_workspace(self):
        if self.work:
            self.work.close()
        self.work = Workspace(self.tenant)
        ws = self.work.ws
        ws.connector("Entra", "msgraph", self.tenant.entra_config(ws))
        ws.write_manifest()
        return self.work

    def full_import(self):
        result = self.new_workspace().run("Entra", "Full Import")
        if result["counters"].get("adds") != self.size:
            raise RuntimeError(f"the Full Import of {self.size:,} users reported "
                               f"{result['counters']}")
        return result

    def change_and_delta(self):
        self.round += 1
        for object_id in self.changed_ids:
            self.tenant.graph.update(object_id, jobTitle=f"Changed in round {self.round}")
        result = self.work.run("Entra", "Delta Import")
        counters = result["counters"]
        if counters.get("updates", 0) != self.changes or counters.get("adds", 0) or \
                counters.get("deletes", 0):
            raise RuntimeError(f"the Delta Import of {self.changes} changes among "
                               f"{self.size:,} users reported {counters}")
        return result

    def close(self):
        if self.work:
            self.work.close()
        self.tenant.stop()


# --- the benchmark ------------------------------------------------------------------------------

def parse_pace(text):
    writes, _, interval = text.partition("/")
    return int(writes), int(interval or 1)


def span_text(seconds):
    return "-" if seconds is None else f"{seconds:.4f}"


def print_export(exports, variants, pace, users, rounds):
    print(f"\nExport of {users:,} new users (median of {rounds} rounds; requests per second "
          "as the emulator's request log saw them, over its first to last request)\n")
    print("| variant | export step s | whole CLI run s | users/s (step) | HTTP requests | "
          "requests/s | $batch sub-requests | sub-requests/s | writes | writes/s | 429s | "
          "idsync CPU s | emulator CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for v in variants:
        runs = exports[v]
        description = variant_settings(v, pace)[0]
        step = median(runs, "step")
        print(f"| {description} | {step:.2f} | {median(runs, 'wall'):.2f} | "
              f"{rate(users, step):,.0f} | {median(runs, 'outer'):,.0f} | "
              f"{median(runs, 'outer_rate'):,.0f} | {median(runs, 'sub'):,.0f} | "
              f"{median(runs, 'sub_rate'):,.0f} | {median(runs, 'writes'):,.0f} | "
              f"{median(runs, 'write_rate'):,.0f} | {median(runs, 'throttled'):,.0f} | "
              f"{median(runs, 'client_cpu'):.2f} | {median(runs, 'emulator_cpu'):.2f} |")
    for v in variants:
        print(f"rounds, {variant_settings(v, pace)[0]}: step seconds " +
              ", ".join(f"{r['step']:.2f}" for r in exports[v]))
    if "paced" in exports:
        runs = exports["paced"]
        writes, interval = pace
        print(f"\nThe write pace: at most {writes} writes in any {interval} s\n")
        print(f"| round | writes | most writes in any {interval} s window | shortest time any "
              f"{writes + 1} writes took, s | mean writes/s over the export | mean / limit |")
        print("|---:|---:|---:|---:|---:|---:|")
        for n, r in enumerate(runs, 1):
            print(f"| {n} | {r['writes']:,} | {r['window_max']} | {span_text(r['shortest_span'])} | "
                  f"{r['paced_rate']:.1f} | {r['paced_rate'] / r['limit_rate']:.3f} |")


def print_imports(fulls, deltas, directories, rounds):
    big = directories[-1]
    print(f"\nFull Import of {big.size:,} cloud users (median of {len(fulls)} rounds, each into "
          "a new store)\n")
    print("| users | whole CLI run s | step s | users/s (step) | idsync CPU s | emulator CPU s |")
    print("|---:|---:|---:|---:|---:|---:|")
    step = median(fulls, "step")
    print(f"| {big.size:,} | {median(fulls, 'wall'):.2f} | {step:.2f} | "
          f"{rate(big.size, step):,.0f} | {median(fulls, 'client_cpu'):.2f} | "
          f"{median(fulls, 'emulator_cpu'):.2f} |")
    print("rounds, step seconds: " + ", ".join(f"{r['step']:.2f}" for r in fulls))
    print(f"\nDelta Import of {big.changes} changed users (median of {rounds} rounds)\n")
    print("| directory users | changes | whole CLI run s | step s | idsync CPU s | "
          "emulator CPU s | rounds (step s) |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for d in directories:
        runs = deltas[d.size]
        print(f"| {d.size:,} | {d.changes} | {median(runs, 'wall'):.3f} | "
              f"{median(runs, 'step'):.3f} | {median(runs, 'client_cpu'):.3f} | "
              f"{median(runs, 'emulator_cpu'):.3f} | " +
              ", ".join(f"{r['step']:.3f}" for r in runs) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=None,
                        help="CMake build folder with bin/idsync and the plugins (default: "
                             "$IDSYNC_BUILD_DIR, else build/ in the source tree)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each measurement; the median is reported (default 3)")
    parser.add_argument("--users", type=int, default=10000,
                        help="new users the export creates (default 10000)")
    parser.add_argument("--directory-size", type=int, default=100000,
                        help="cloud users of the full and delta import tenant (default 100000)")
    parser.add_argument("--small-directory", type=int, default=1000,
                        help="cloud users of the tenant the delta is compared with "
                             "(default 1000)")
    parser.add_argument("--changes", type=int, default=100,
                        help="users changed before each Delta Import (default 100)")
    parser.add_argument("--pace", default="200/1",
                        help="the paced variant's writes_per_interval/write_interval_seconds "
                             "(default 200/1)")
    parser.add_argument("--variants", default="plain,match,paced",
                        help="export variants, comma separated: plain, match, paced "
                             "(default all)")
    parser.add_argument("--skip-export", action="store_true", help="only the imports")
    parser.add_argument("--skip-import", action="store_true", help="only the export")
    args = parser.parse_args()

    if args.build_dir:
        os.environ["IDSYNC_BUILD_DIR"] = os.path.abspath(args.build_dir)
    sys.path.insert(0, GRAPH_HARNESS)
    sys.path.insert(0, LDAP_HARNESS)
    sys.path.insert(0, SUPPORT)
    import idsync_workspace
    if args.build_dir and "IDSYNC_BIN" not in os.environ:
        idsync_workspace.IDSYNC = os.path.join(os.environ["IDSYNC_BUILD_DIR"], "bin", "idsync")
    if not os.access(idsync_workspace.IDSYNC, os.X_OK):
        parser.error(f"no idsync binary at {idsync_workspace.IDSYNC}: build it, or pass "
                     "--build-dir")
    pace = parse_pace(args.pace)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        try:
            variant_settings(v, pace)
        except ValueError as e:
            parser.error(str(e))
    if args.changes > min(args.small_directory, args.directory_size):
        parser.error("--changes is larger than a directory")

    # A SIGTERM or SIGHUP ends the run through the finally blocks, which stop the emulators and
    # remove the folders.
    def stop(signum, _frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    root = tempfile.mkdtemp(prefix="idsync-bench-msgraph-")
    password = "Bench-Passw0rd-" + secrets.token_hex(4) + "!"
    exports, fulls, deltas, directories = {v: [] for v in variants}, [], {}, []
    load_before = os.getloadavg()
    try:
        if not args.skip_export:
            hr_csv = os.path.join(root, "hr.csv")
            write_hr_csv(hr_csv, args.users)
            for r in range(1, args.rounds + 1):
                for v in variants:
                    result = export_run(root, hr_csv, v, pace, args.users, password, r)
                    exports[v].append(result)
                    log(f"round {r}: export, {variant_settings(v, pace)[0]}: step "
                        f"{result['step']:.2f} s, {result['outer']:,} requests, "
                        f"{result['sub']:,} sub-requests, {result['writes']:,} writes, "
                        f"{result['throttled']} throttled; idsync CPU "
                        f"{result['client_cpu']:.2f} s, emulator CPU "
                        f"{result['emulator_cpu']:.2f} s" +
                        (f"; most writes in a window {result['window_max']}"
                         f" (any {pace[0] + 1} took {span_text(result['shortest_span'])} s or "
                         f"more), mean "
                         f"{result['paced_rate']:.1f}/s" if v == "paced" else ""))
        if not args.skip_import:
            for size in sorted({args.small_directory, args.directory_size}):
                directories.append(CloudDirectory(root, size, args.changes))
            big = directories[-1]
            for r in range(1, args.rounds + 1):
                fulls.append(big.full_import())
                log(f"round {r}: Full Import of {big.size:,} users: step "
                    f"{fulls[-1]['step']:.2f} s, whole run {fulls[-1]['wall']:.2f} s")
            for d in directories[:-1]:
                d.full_import()
            for d in directories:
                deltas[d.size] = []
            for r in range(1, args.rounds + 1):
                for d in directories:
                    result = d.change_and_delta()
                    deltas[d.size].append(result)
                    log(f"round {r}: Delta Import of {d.changes} changes among {d.size:,} "
                        f"users: step {result['step']:.3f} s, whole run {result['wall']:.3f} s")
        load_after = os.getloadavg()
    finally:
        for d in directories:
            d.close()
        shutil.rmtree(root, ignore_errors=True)

    print(f"\nmachine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"median of {args.rounds} rounds")
    if not args.skip_export:
        print_export(exports, variants, pace, args.users, args.rounds)
    if not args.skip_import:
        print_imports(fulls, deltas, directories, args.rounds)


if __name__ == "__main__":
    main()
