#!/usr/bin/env python3
"""LDAP connector benchmark: full and delta import from a throwaway slapd.

What it measures, in one run and on one directory:

  * ldapsearch: a paged search (`-E pr=PAGE/noprompt`) over ldaps:// of every inetOrgPerson and
    groupOfNames entry, with the user attributes ('*') plus entryUUID and structuralObjectClass
    (the data the ldap.generic connector asks for), written to /dev/null. This is what reading
    the directory costs a plain client: the floor for an import.
  * idsync Full Import: `idsync run-profile --connector Dir --profile "Full Import" --json` on a
    workspace with an ldap.generic connector reading the same entries over ldaps:// with the
    same page size (set on the connector and on the run profile's steps, since the connector
    reads pages of the smaller of the two), into a fresh RocksDB store. Timed as the whole CLI
    process (wall time) and as the step's own elapsed_ms from the JSON; the CPU time of each
    client and of slapd meanwhile is printed too.

  Both are run --rounds times, interleaved (ldapsearch, then idsync, per round), and the median
  is reported with the ratio of idsync's rate to ldapsearch's. With --baseline-build-dir, the
  idsync of that build (another version) runs too in each round, before or after the first in
  turn, so that a change can be compared under the same machine load.

  * idsync Delta Import: after the full import, --changes entries (default 100) get a new
    description in one ldapmodify call, then `run-profile --profile "Delta Import"` is timed.
    This is done on a directory of each size in --delta-sizes (default: 1,000 and --entries), the
    rounds interleaved between the sizes, so that one can see whether the delta's time grows
    with the directory. Each delta must report exactly the changed entries as updates.

The directories are throwaway slapd servers of the LDAP integration tests' harness
(tests/integration/ldap/slapd_server.py: loopback ports, a CA of their own, MDB with the
syncprov overlay and a session log large enough for the changes). The entries are generated
LDIF (users in ou=people with uid, cn, sn, givenName, mail, title, departmentNumber,
telephoneNumber, employeeNumber, description; groupOfNames groups in ou=groups, one per hundred
entries, every user a member of one) loaded with slapadd while slapd is stopped, which is much
faster than ldapadd; slapadd -w writes the contextCSN that content sync starts from.

Run from the source tree after a build (needs slapd, ldap-utils and openssl):

    python3 tools/bench/bench_ldap_import.py --build-dir build
    python3 tools/bench/bench_ldap_import.py --entries 100000 --rounds 3 --delta-sizes 1000,100000

--build-dir (or the environment's IDSYNC_BUILD_DIR) is the CMake build folder whose bin/idsync
is run. The tables it prints at the end are markdown, ready for docs/benchmarks.md.
"""
import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
HARNESS = os.path.join(SOURCE, "tests", "integration", "ldap")

CLASS_FILTER = "(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))"
LDAPSEARCH_ATTRS = ["*", "entryUUID", "structuralObjectClass"]

GIVEN = ("Anna Ben Clara David Emma Felix Greta Hugo Ida Jonas Karla Leon Mia Noah Olga Paul "
         "Quinn Rosa Samuel Tara Uwe Vera Walter Xenia Yusuf Zoe").split()
SURNAMES = ("Albers Becker Castillo Dubois Eriksen Fischer Garcia Hoffmann Ivanova Jansen Kowalski "
            "Lindqvist Moreau Nakamura Okafor Petrov Quist Rossi Schmidt Tanaka Ulrich Varga "
            "Weber Xu Yilmaz Zimmermann").split()
TITLES = ("Engineer", "Senior Engineer", "Accountant", "Sales Representative", "Team Lead",
          "Analyst", "Support Specialist", "Project Manager", "Designer", "Administrator")
DEPARTMENTS = ("Finance", "Engineering", "Sales", "Support", "Marketing", "Operations", "Legal",
               "HR")


# --- the directory ------------------------------------------------------------------------------

def group_count(entries):
    return max(1, entries // 100)


def write_ldif(path, suffix, entries, seed=1):
    """The entries below the suffix: ou=people, ou=groups, then users and groups, `entries` of
    them in all (groups are one in a hundred). Parents come first, as slapadd needs."""
    rnd = random.Random(seed)
    groups = group_count(entries)
    users = entries - groups
    people, groups_ou = f"ou=people,{suffix}", f"ou=groups,{suffix}"
    with open(path, "w") as f:
        for ou in ("people", "groups"):
            f.write(f"dn: ou={ou},{suffix}\nobjectClass: organizationalUnit\nou: {ou}\n\n")
        for i in range(users):
            given, sn = rnd.choice(GIVEN), rnd.choice(SURNAMES)
            uid = user_uid(i)
            f.write(f"dn: uid={uid},{people}\n"
                    "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
                    "objectClass: inetOrgPerson\n"
                    f"uid: {uid}\ncn: {given} {sn}\nsn: {sn}\ngivenName: {given}\n"
                    f"mail: {given.lower()}.{sn.lower()}.{i}@example.com\n"
                    f"title: {rnd.choice(TITLES)}\n"
                    f"departmentNumber: {rnd.choice(DEPARTMENTS)}\n"
                    f"telephoneNumber: +49 30 {rnd.randrange(1000000, 9999999)}\n"
                    f"employeeNumber: {100000 + i}\n"
                    f"description: {given} {sn}, generated for the LDAP import benchmark\n\n")
        for g in range(groups):
            f.write(f"dn: cn={group_cn(g)},{groups_ou}\n"
                    "objectClass: top\nobjectClass: groupOfNames\n"
                    f"cn: {group_cn(g)}\ndescription: benchmark group {g}\n")
            for i in range(g, users, groups):
                f.write(f"member: uid={user_uid(i)},{people}\n")
            if users <= g:  # groupOfNames needs a member
                f.write(f"member: {people}\n")
            f.write("\n")
    return users, groups


def user_uid(i):
    return f"u{i:07d}"


def group_cn(g):
    return f"g{g:05d}"


def change_ldif(suffix, users, changes, round_no):
    """`changes` users spread over the whole range get a new description."""
    out = []
    for k in range(changes):
        i = k * users // changes
        out.append(f"dn: uid={user_uid(i)},ou=people,{suffix}\nchangetype: modify\n"
                   f"replace: description\ndescription: changed in round {round_no}\n\n")
    return "".join(out)


def make_directory_class():
    from slapd_server import SlapdServer, run, stop_process

    class BenchDirectory(SlapdServer):
        """The harness's slapd, plus a bulk load: stop slapd, slapadd the LDIF (quick mode, with
        the contextCSN written), start it again on the same ports."""

        def bulk_load(self, ldif_path):
            stop_process(self.proc)
            self.proc = None
            run(["slapadd", "-q", "-w", "-f", self.path("slapd.conf"), "-l", ldif_path],
                timeout=3600)
            self.proc = subprocess.Popen(
                ["slapd", "-f", self.path("slapd.conf"), "-h", f"{self.uri}/ {self.uri_ldaps}/",
                 "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            while self.search("", scope="base", attrs=["namingContexts"],
                              check=False).returncode != 0:
                if self.proc.poll() is not None:
                    raise RuntimeError("slapd exited after slapadd:\n" + self.proc.stderr.read())
                if time.monotonic() > deadline:
                    raise RuntimeError("slapd did not answer within 60 s after slapadd")
                time.sleep(0.05)

        def cpu_seconds(self):
            """slapd's user and system CPU time so far."""
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return BenchDirectory


class Directory:
    """A running slapd holding `entries` generated entries."""

    def __init__(self, entries, changes, page_size, workdir):
        self.entries = entries
        self.server = make_directory_class()(suffix="dc=example,dc=com",
                                              sessionlog=max(1000, 10 * changes))
        self.server.start()
        ldif = os.path.join(workdir, f"entries-{entries}.ldif")
        started = time.monotonic()
        self.users, self.groups = write_ldif(ldif, self.server.suffix, entries)
        generated = time.monotonic()
        self.server.bulk_load(ldif)
        os.unlink(ldif)
        loaded = time.monotonic()
        log(f"directory of {entries:,} entries ({self.users:,} users, {self.groups:,} groups): "
            f"LDIF {generated - started:.1f} s, slapadd and restart {loaded - generated:.1f} s")
        self.page_size = page_size
        self.changes = changes
        self.rounds_changed = 0

    def close(self):
        self.server.stop()

    def ldapsearch_cmd(self, ldif_wrap=False):
        s = self.server
        return (["ldapsearch", "-x", "-H", s.uri_ldaps, "-D", s.admin_dn, "-w", s.admin_password,
                 "-b", s.suffix, "-E", f"pr={self.page_size}/noprompt"] +
                (["-o", "ldif-wrap=no"] if ldif_wrap else []) + [CLASS_FILTER] + LDAPSEARCH_ATTRS)

    def count_with_ldapsearch(self):
        p = subprocess.run(self.ldapsearch_cmd(ldif_wrap=True), capture_output=True, text=True,
                           env=self.server.env(), timeout=3600)
        if p.returncode != 0:
            raise RuntimeError(f"ldapsearch exited {p.returncode}: {p.stderr}")
        return sum(1 for line in p.stdout.splitlines() if line.startswith(("dn: ", "dn:: ")))

    def time_ldapsearch(self):
        """Wall and client CPU seconds of the paged search written to /dev/null, and slapd's
        CPU seconds meanwhile."""
        slapd_before, cpu_before = self.server.cpu_seconds(), children_cpu()
        started = time.perf_counter()
        with open(os.devnull, "w") as null:
            p = subprocess.run(self.ldapsearch_cmd(), stdout=null, stderr=subprocess.PIPE,
                               text=True, env=self.server.env(), timeout=3600)
        wall = time.perf_counter() - started
        if p.returncode != 0:
            raise RuntimeError(f"ldapsearch exited {p.returncode}: {p.stderr}")
        return {"wall": wall, "client_cpu": children_cpu() - cpu_before,
                "slapd_cpu": self.server.cpu_seconds() - slapd_before}

    def change(self):
        """Gives --changes users a new description, in one ldapmodify call."""
        self.rounds_changed += 1
        self.server.modify_ldif(change_ldif(self.server.suffix, self.users, self.changes,
                                            self.rounds_changed))


# --- idsync -------------------------------------------------------------------------------------

class Idsync:
    """A workspace with one ldap.generic connector, Dir, reading a Directory."""

    def __init__(self, directory):
        from idsync_workspace import IdsyncWorkspace

        self.directory = directory
        s = directory.server
        self.ws = IdsyncWorkspace()
        self.ws.connector("Dir", "ldap.generic", {
            "url": s.uri_ldaps, "ca_file": s.ca_file, "bind_dn": s.admin_dn,
            "bind_password": self.ws.secret("bind-password", s.admin_password),
            "page_size": directory.page_size},
            # The connector reads pages of the smaller of its page_size and the run profile
            # step's (500 unless set), so both are set.
            run_profiles={
                "Full Import": [{"type": "full_import", "page_size": directory.page_size}],
                "Delta Import": [{"type": "delta_import", "page_size": directory.page_size}]})
        self.ws.write_manifest()

    def close(self):
        self.ws.close()

    def run(self, profile, binary=None):
        """Runs a profile through the CLI (`binary`: another build's idsync); its wall and CPU
        seconds, slapd's CPU seconds meanwhile, and the step's JSON."""
        import idsync_workspace

        default = idsync_workspace.IDSYNC
        idsync_workspace.IDSYNC = binary or default
        slapd_before, cpu_before = self.directory.server.cpu_seconds(), children_cpu()
        started = time.perf_counter()
        try:
            p = self.ws.idsync("run-profile", "--connector", "Dir", "--profile", profile,
                               "--json", check=False, timeout=3600)
        finally:
            idsync_workspace.IDSYNC = default
        wall = time.perf_counter() - started
        cpu = children_cpu() - cpu_before
        slapd_cpu = self.directory.server.cpu_seconds() - slapd_before
        try:
            step = json.loads(p.stdout)["steps"][0]
        except (ValueError, KeyError, IndexError):
            raise RuntimeError(f"run-profile {profile} printed no step (exit {p.returncode}):\n"
                               f"{p.stdout}\n{p.stderr}")
        if p.returncode != 0 or step.get("status") != "success":
            raise RuntimeError(f"run-profile {profile} failed (exit {p.returncode}): "
                               f"{step.get('status')}: {step.get('message')}\n{p.stderr}")
        return {"wall": wall, "client_cpu": cpu, "slapd_cpu": slapd_cpu,
                "step": step["elapsed_ms"] / 1000.0, "counters": step.get("counters", {})}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# --- the benchmark ------------------------------------------------------------------------------

def log(message):
    print(message, file=sys.stderr, flush=True)


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def full_import(directory, rounds, baseline=None):
    """Interleaved rounds of ldapsearch and idsync's Full Import (and, with `baseline`, that
    idsync binary's), each import into a fresh store. Returns the series and the workspace of
    the last import (for the delta)."""
    expected = directory.count_with_ldapsearch()
    if expected != directory.entries:
        raise RuntimeError(f"ldapsearch found {expected} entries, expected {directory.entries}")
    searches, imports, baselines, workspace = [], [], [], None

    def timed_import(binary=None):
        nonlocal workspace
        if workspace:
            workspace.close()
        workspace = Idsync(directory)
        result = workspace.run("Full Import", binary)
        adds = result["counters"].get("adds")
        if adds != directory.entries:
            raise RuntimeError(f"the Full Import added {adds} objects, expected "
                               f"{directory.entries}: {result['counters']}")
        return result

    for r in range(1, rounds + 1):
        searches.append(directory.time_ldapsearch())
        # The two builds take turns at going first, so that neither always finds slapd warm.
        if baseline and r % 2:
            baselines.append(timed_import(baseline))
        imports.append(timed_import())
        if baseline and not r % 2:
            baselines.append(timed_import(baseline))
        log(f"round {r}: ldapsearch {searches[-1]['wall']:.2f} s, idsync Full Import "
            f"{imports[-1]['wall']:.2f} s (step {imports[-1]['step']:.2f} s)" +
            (f", baseline {baselines[-1]['wall']:.2f} s (step {baselines[-1]['step']:.2f} s)"
             if baseline else ""))
    return searches, imports, baselines, workspace


def delta_rounds(targets, rounds):
    """`targets`: (directory, workspace) pairs. Each round changes every directory and runs one
    Delta Import on each, so that the sizes see the same machine load."""
    results = {id(d): [] for d, _ in targets}
    for r in range(1, rounds + 1):
        for directory, workspace in targets:
            directory.change()
            result = workspace.run("Delta Import")
            seen = result["counters"].get("updates", 0)
            if seen != directory.changes:
                raise RuntimeError(
                    f"the Delta Import on {directory.entries:,} entries reported {seen} updates "
                    f"for {directory.changes} changes: {result['counters']}")
            results[id(directory)].append(result)
            log(f"round {r}: Delta Import of {directory.changes} changes in "
                f"{directory.entries:,} entries: {result['wall']:.3f} s "
                f"(step {result['step']:.3f} s)")
    return results


def rate(entries, seconds):
    return entries / seconds if seconds > 0 else float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100000,
                        help="entries of the full-import directory (default 100000)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each measurement; the median is reported (default 3)")
    parser.add_argument("--page-size", type=int, default=1000,
                        help="paged-results page size for both clients (default 1000)")
    parser.add_argument("--changes", type=int, default=100,
                        help="entries changed before each Delta Import (default 100)")
    parser.add_argument("--delta-sizes", default=None,
                        help="directory sizes for the Delta Import, comma separated "
                             "(default: 1000 and --entries)")
    parser.add_argument("--build-dir", default=None,
                        help="CMake build folder with bin/idsync (default: $IDSYNC_BUILD_DIR, "
                             "else build/ in the source tree)")
    parser.add_argument("--baseline-build-dir", default=None,
                        help="another build folder whose bin/idsync also runs the Full Import in "
                             "each round, for comparing two versions under the same load")
    parser.add_argument("--skip-full", action="store_true",
                        help="only the Delta Import measurement (each directory still gets one "
                             "untimed Full Import)")
    args = parser.parse_args()

    if args.build_dir:
        os.environ["IDSYNC_BUILD_DIR"] = os.path.abspath(args.build_dir)
    sys.path.insert(0, HARNESS)
    import idsync_workspace
    if args.build_dir and "IDSYNC_BIN" not in os.environ:
        idsync_workspace.IDSYNC = os.path.join(os.environ["IDSYNC_BUILD_DIR"], "bin", "idsync")
    if not os.access(idsync_workspace.IDSYNC, os.X_OK):
        parser.error(f"no idsync binary at {idsync_workspace.IDSYNC}: build it, or pass "
                     "--build-dir")
    baseline = None
    if args.baseline_build_dir:
        baseline = os.path.join(os.path.abspath(args.baseline_build_dir), "bin", "idsync")
        if not os.access(baseline, os.X_OK):
            parser.error(f"no idsync binary at {baseline}")
    delta_sizes = sorted({int(s) for s in args.delta_sizes.split(",")} if args.delta_sizes
                         else {1000, args.entries})

    workdir = tempfile.mkdtemp(prefix="idsync-bench-ldap-")
    directories, workspaces = [], []
    load_before = os.getloadavg()
    try:
        searches, imports, baselines, targets = [], [], [], []
        if not args.skip_full:
            main_dir = Directory(args.entries, args.changes, args.page_size, workdir)
            directories.append(main_dir)
            searches, imports, baselines, main_ws = full_import(main_dir, args.rounds, baseline)
            workspaces.append(main_ws)
        for size in delta_sizes:
            if size == args.entries and not args.skip_full:
                targets.append((main_dir, main_ws))
                continue
            d = Directory(size, args.changes, args.page_size, workdir)
            directories.append(d)
            ws = Idsync(d)
            workspaces.append(ws)
            ws.run("Full Import")
            targets.append((d, ws))
        deltas = delta_rounds(targets, args.rounds)
        load_after = os.getloadavg()
    finally:
        for ws in workspaces:
            ws.close()
        for d in directories:
            d.close()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nmachine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"median of {args.rounds} rounds, page size {args.page_size}\n")
    if imports:
        n = args.entries
        print("| client | entries | seconds | entries/s | client CPU s | slapd CPU s |")
        print("|---|---:|---:|---:|---:|---:|")
        s_wall, i_wall, i_step = (median(searches, "wall"), median(imports, "wall"),
                                  median(imports, "step"))
        print(f"| ldapsearch, paged, to /dev/null | {n:,} | {s_wall:.2f} | "
              f"{rate(n, s_wall):,.0f} | {median(searches, 'client_cpu'):.2f} | "
              f"{median(searches, 'slapd_cpu'):.2f} |")
        print(f"| idsync Full Import (whole CLI run) | {n:,} | {i_wall:.2f} | "
              f"{rate(n, i_wall):,.0f} | {median(imports, 'client_cpu'):.2f} | "
              f"{median(imports, 'slapd_cpu'):.2f} |")
        print(f"| idsync Full Import (the step's elapsed_ms) | {n:,} | {i_step:.2f} | "
              f"{rate(n, i_step):,.0f} | | |")
        if baselines:
            b_wall, b_step = median(baselines, "wall"), median(baselines, "step")
            print(f"| baseline idsync Full Import (whole CLI run) | {n:,} | {b_wall:.2f} | "
                  f"{rate(n, b_wall):,.0f} | {median(baselines, 'client_cpu'):.2f} | "
                  f"{median(baselines, 'slapd_cpu'):.2f} |")
            print(f"| baseline idsync Full Import (the step's elapsed_ms) | {n:,} | "
                  f"{b_step:.2f} | {rate(n, b_step):,.0f} | | |")
        print(f"\nratio of idsync's rate to ldapsearch's: {s_wall / i_wall:.2f} (whole CLI run), "
              f"{s_wall / i_step:.2f} (step)")
        print("ratio per round (whole CLI run): " +
              ", ".join(f"{s['wall'] / i['wall']:.2f}" for s, i in zip(searches, imports)))
        print("rounds, seconds: ldapsearch " +
              ", ".join(f"{r['wall']:.2f}" for r in searches) + "; idsync " +
              ", ".join(f"{r['wall']:.2f} (step {r['step']:.2f})" for r in imports))
        if baselines:
            print(f"baseline: ratio {s_wall / b_wall:.2f} (whole CLI run), {s_wall / b_step:.2f} "
                  "(step); rounds " +
                  ", ".join(f"{r['wall']:.2f} (step {r['step']:.2f})" for r in baselines))
    print(f"\n| directory entries | changes | Delta Import seconds (CLI run) | step seconds | "
          "rounds (CLI run) |")
    print("|---:|---:|---:|---:|---|")
    for d, _ in targets:
        runs = deltas[id(d)]
        print(f"| {d.entries:,} | {d.changes} | {median(runs, 'wall'):.3f} | "
              f"{median(runs, 'step'):.3f} | " + ", ".join(f"{r['wall']:.3f}" for r in runs) +
              " |")


if __name__ == "__main__":
    main()
