#!/usr/bin/env python3
"""Report the results of `make test` runs.

usage: report.py [--stock [BASE=]FILE]... [--ksft-build-failed [BASE=]LOG]...
                 [--job JOB:BASE/VARIANT=RUNDIR]...
                 [--host BASE/NAME=LOG]...
                 BASE/VARIANT=RUNDIR...

For each variant's run dir (see run-vm.sh) this prints one line per result:

    PASS|FAIL|SKIP <variant> <name>: <description>

from three sources:
  * KUnit: the KTAP that the suites built into the kernel print at boot,
    taken from console.log; every leaf test case counts.
  * kselftests: results/ksft/<collection>/<program>.log and .rc, written by
    the ksft.sh guest job; every top-level KTAP result line counts.
  * console health: one line, FAIL on the first kernel splat in console.log.
  * runs of another guest job (--job JOB:..., such as soak.sh): the KTAP
    of the job, results/JOB/JOB.ktap or else its output, counted like a
    kselftest program "JOB/JOB", and the health of that run's console
    ("JOB/console").

A failure listed in the stock-failures file of the run's base is reported as
SKIP (it fails on the unmodified kernel of that base too). The last line is
"N passed, N failed, N skipped"; the exit status is 1 if anything failed.
"""

import argparse
import os
import re
import sys

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(?P<indent>\s*)(?P<ok>ok|not ok)\s+(?P<num>\d+)\b\s*(?:-\s*)?"
                    r"(?P<desc>[^#]*?)\s*(?:#\s*(?P<directive>.*))?$")
PLAN = re.compile(r"^(?P<indent>\s*)1\.\.(?P<n>\d+)")
SUBTEST = re.compile(r"^(?P<indent>\s*)#\s*Subtest:\s*(?P<name>.*)$")

# Kernel splats that fail a run: the one pattern of the harness, matched
# against the console of every guest run (guest jobs keep no copy of it).
# Order does not matter: the first matching line of the log is reported.
SPLATS = re.compile(
    r"BUG:|WARNING:|Oops|Kernel panic|KASAN:|UBSAN:|"
    r"kmemleak: .*suspected memory leak|unreferenced object 0x|"
    r"possible recursive locking|possible circular locking|"
    r"inconsistent lock state|suspicious RCU usage|list_(add|del) corruption|"
    r"INFO: task .* blocked|blocked for more than|hung_task|"
    r"soft lockup|detected stall|Call Trace:")
# An OOM kill dumps a stack ("Call Trace:") by design: not a splat.
OOM_START = re.compile(r"invoked oom-killer:")
OOM_END = re.compile(r"Out of memory|oom-kill:|out of memory: Killed process")
# test_swapcg_faults injects allocation failures between these marks: the
# allocation failure reports there dump stacks by design.
FAULTS_START = re.compile(r"swapcg-faults: injecting")
FAULTS_END = re.compile(r"swapcg-faults: done")
# Marks the end of the boot-time KUnit output.
INIT_STARTED = re.compile(r"^swapcg-init: ")

TIMEOUT_RCS = (124, 137)  # timeout(1): timed out / killed after -k


class Report:
    def __init__(self, stock):
        self.stock = stock  # base -> set of known stock failures
        self.counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
        self.raw_failures = []
        self.failures = []  # the FAIL lines, repeated after the details
        # (title, text, lines, real): logs of what failed; real is False
        # when every failure in it is a known stock failure.
        self.details = []

    def add(self, status, variant, name, desc, note=""):
        key = f"{name}: {desc}"
        if status == "FAIL":
            self.raw_failures.append(key)
            base = variant.split("/", 1)[0] if "/" in variant else ""
            if key in self.stock.get(base, ()):
                status, note = "SKIP", f"(fails on stock {base or 'kernel'} too)"
        self.counts[status] += 1
        line = f"{status} {variant} {key}{' ' + note if note else ''}"
        print(line)
        if status == "FAIL":
            self.failures.append(line)
        return status


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return None


def read_stock(path):
    """Entries 'collection/program: desc', one a line; '#' starts a comment."""
    stock = set()
    text = read(path) if path else None
    for line in (text or "").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            stock.add(re.sub(r"\s*:\s*", ": ", line, count=1))
    return stock


def is_skip(directive):
    return bool(directive) and directive.strip().upper().startswith("SKIP")


def result_desc(m):
    """The name of a result line, and the reason of a skip after it."""
    desc = m.group("desc").strip()
    reason = ""
    if is_skip(m.group("directive")):
        reason = re.sub(r"(?i)^skip\s*", "", m.group("directive").strip())
    if desc and reason:
        return f"{desc}: {reason}"
    return desc or reason or f"test {m.group('num')}"


def kunit(report, variant, console):
    """Leaf test cases of the KTAP printed at boot."""
    lines = []
    started = False
    for raw in console.splitlines():
        line = TIMESTAMP.sub("", raw.rstrip("\r"))
        if INIT_STARTED.match(line):
            break
        if not started:
            started = line.strip() in ("KTAP version 1", "TAP version 14") \
                and not line.startswith(" ")
            continue
        lines.append(line)
    if not started:
        return

    entries = []  # (indent, failed) of every KTAP line so far
    names = {}    # indent -> name of the subtest whose results are at it
    top_plan, top_results = None, 0
    for line in lines:
        m_sub, m_res, m_plan = SUBTEST.match(line), RESULT.match(line), PLAN.match(line)
        if not (m_sub or m_res or m_plan or line.strip().startswith("KTAP version")):
            continue
        indent = len(line) - len(line.lstrip())
        failed = False
        if m_sub:
            names = {d: n for d, n in names.items() if d < indent}
            names[indent] = m_sub.group("name").strip()
        elif m_plan and indent == 0 and top_plan is None:
            top_plan = int(m_plan.group("n"))
        elif m_res:
            top_results += indent == 0
            # A leaf has no deeper lines since its previous sibling.
            j, deeper, failed_inside = len(entries) - 1, False, False
            while j >= 0 and entries[j][0] > indent:
                deeper, failed_inside = True, failed_inside or entries[j][1]
                j -= 1
            path = "/".join(n for d, n in sorted(names.items()) if 0 < d <= indent)
            name = f"kunit/{path or 'suites'}"
            ok = m_res.group("ok") == "ok"
            if not deeper:
                status = "FAIL" if not ok else "SKIP" if is_skip(m_res.group("directive")) else "PASS"
                failed = report.add(status, variant, name, result_desc(m_res)) == "FAIL" or not ok
            elif not ok and not failed_inside:
                report.add("FAIL", variant, name, result_desc(m_res), "(suite failed)")
                failed = True
            else:
                failed = failed_inside
            names = {d: n for d, n in names.items() if d <= indent}
        entries.append((indent, failed))
    if top_plan is not None and top_results < top_plan:
        report.add("FAIL", variant, "kunit", f"{top_plan - top_results} of {top_plan} "
                   "suites printed no result (boot stopped during KUnit?)")


def kselftest_program(report, variant, coll, prog, log, rc):
    name = f"{coll}/{prog}"
    if rc is None:
        report.add("FAIL", variant, name, prog, "(did not finish: guest died or was killed)")
        return
    lines = (log or "").splitlines()
    results, plan, at = [], None, []
    for i, line in enumerate(lines):
        m = RESULT.match(line)
        if m and not m.group("indent"):
            results.append(m)
            at.append(i)
            continue
        m = PLAN.match(line)
        if m and not m.group("indent") and plan is None:
            plan = int(m.group("n"))

    why = (f"timed out" if rc in TIMEOUT_RCS else
           f"killed by signal {rc - 128}" if rc > 128 else f"exit status {rc}")
    # failed: results that failed before the stock mapping; real: failures
    # after it; shown: those of them whose own output is in the details.
    failed = real = shown = 0
    for i, m in enumerate(results):
        status = "PASS" if m.group("ok") == "ok" else "FAIL"
        if status == "PASS" and is_skip(m.group("directive")):
            status = "SKIP"
        if report.add(status, variant, name, result_desc(m)) == "FAIL":
            real += 1
            shown += 1
            # The test's own messages since the result before: they say
            # what it expected.
            start = max(at[i - 1] + 1 if i else 0, at[i] - 40)
            report.details.append((f"{variant} {name}: {result_desc(m)}",
                                   "\n".join(lines[start:at[i] + 1]),
                                   at[i] + 1 - start, True))
        failed += status == "FAIL"  # before the stock-failure mapping
    missing = (plan or 0) - len(results)
    for i in range(len(results) + 1, len(results) + 1 + max(missing, 0)):
        report.add("FAIL", variant, name, f"result {i} missing", f"(plan 1..{plan}; {why})")
        real += 1
    if not results:
        if rc == 0:
            skipped = re.search(r"(?i)\bskip(ped)?\b", log or "")
            report.add("SKIP" if skipped else "PASS", variant, name, prog)
        elif rc == 4:  # KSFT_SKIP
            report.add("SKIP", variant, name, prog)
        else:
            report.add("FAIL", variant, name, prog, f"({why}, no results)")
            real += 1
    elif missing <= 0 and rc not in (0, 4) and (rc in TIMEOUT_RCS or rc > 128 or not failed):
        report.add("FAIL", variant, name, prog, f"({why})")
        real += 1
    # The end of the log, unless the failed results above show what failed.
    if rc not in (0, 4) and (not shown or real > shown):
        report.details.append((f"{variant} {name} ({why})", log or "", 15, real > 0))


def kselftests(report, variant, rundir):
    res = os.path.join(rundir, "results", "ksft")
    plan = read(os.path.join(res, "plan.txt"))
    if plan is None:
        report.add("FAIL", variant, "kselftests", "did not run", "(no results/ksft/plan.txt)")
        return
    for entry in plan.split():
        coll, prog = entry.split(":", 1)
        base = os.path.join(res, coll, prog)
        rc = read(base + ".rc")
        kselftest_program(report, variant, coll, prog, read(base + ".log"),
                          int(rc) if rc and rc.strip().lstrip("-").isdigit() else None)


def console_health(report, variant, console, name="console"):
    in_oom = in_faults = False
    lines = console.splitlines()
    for i, raw in enumerate(lines):
        line = TIMESTAMP.sub("", raw.rstrip("\r"))
        if OOM_START.search(line):
            in_oom = True
        elif OOM_END.search(line):
            in_oom = False
        if FAULTS_START.search(line):
            in_faults = True
        elif FAULTS_END.search(line):
            in_faults = False
        m = SPLATS.search(line)
        if m and not ((in_oom or in_faults) and m.group(0) == "Call Trace:"):
            report.add("FAIL", variant, name, line.strip())
            # What led to it and the report itself, for a log read elsewhere.
            context = "\n".join(lines[max(0, i - 20):i + 40])
            report.details.append((f"{variant} {name} (around the splat)", context, 60, True))
            return
    report.add("PASS", variant, name, "no splat")


def tail(text, n):
    return "\n".join("    " + l for l in (text or "").splitlines()[-n:])


def vm_health(report, variant, rundir, console, name="vm"):
    status = dict(l.split("=", 1) for l in (read(os.path.join(rundir, "vm.status")) or "").split())
    qemu_rc = status.get("qemu_rc", "none")
    problem = None
    if qemu_rc in ("124", "137"):
        problem = f"guest killed by the watchdog after {status.get('timeout')}s"
    elif qemu_rc != "0":
        problem = f"qemu did not run or failed (status {qemu_rc})"
    elif status.get("job_rc", "none") == "none":
        problem = "guest stopped before the test job finished"
    if problem:
        report.add("FAIL", variant, name, problem)
        print(f"---- {variant}: last 50 lines of {rundir}/console.log")
        print(tail(console, 50))


def write_failures(report, rundir):
    with open(os.path.join(rundir, "failures.txt"), "w") as f:
        f.writelines(k + "\n" for k in report.raw_failures[report.mark:])


def variant_run(report, variant, rundir):
    if os.path.exists(os.path.join(rundir, "build-failed")):
        report.add("FAIL", variant, "build", "kernel build failed")
        return
    console = read(os.path.join(rundir, "console.log")) or ""
    kunit(report, variant, console)
    kselftests(report, variant, rundir)
    console_health(report, variant, console)
    vm_health(report, variant, rundir, console)
    write_failures(report, rundir)


def job_run(report, variant, rundir, job):
    """A guest job with a KTAP of its own (soak.sh, bigswap.sh, v1.sh): its
    KTAP, results/JOB/JOB.ktap or its output, its console and its VM."""
    if os.path.exists(os.path.join(rundir, "build-failed")):
        report.add("FAIL", variant, f"{job}/build", "kernel build failed")
        return
    console = read(os.path.join(rundir, "console.log")) or ""
    ktap = read(os.path.join(rundir, "results", job, f"{job}.ktap"))
    rc = (read(os.path.join(rundir, "results", "job.rc")) or "").strip()
    rc = int(rc) if rc.lstrip("-").isdigit() else None
    if ktap is None and rc is not None:
        ktap = read(os.path.join(rundir, "results", "job.log"))
    kselftest_program(report, variant, job, job, ktap, rc)
    console_health(report, variant, console, f"{job}/console")
    vm_health(report, variant, rundir, console, f"{job}/vm")
    write_failures(report, rundir)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stock", action="append", default=[], metavar="BASE=FILE",
                    help="known failures of the stock kernel of BASE")
    ap.add_argument("--ksft-build-failed", action="append", default=[],
                    metavar="BASE=LOG")
    ap.add_argument("--job", action="append", default=[],
                    metavar="JOB:BASE/VARIANT=RUNDIR",
                    help="a run of the guest job JOB.sh")
    ap.add_argument("--host", action="append", default=[], metavar="BASE/NAME=LOG",
                    help="KTAP of a check run on the host (LOG, exit status in LOG.rc)")
    ap.add_argument("runs", nargs="*", metavar="BASE/VARIANT=RUNDIR")
    args = ap.parse_intermixed_args()

    # BASE=X, or X alone for runs named without a base.
    def by_base(arg):
        return arg.split("=", 1) if "=" in arg else ("", arg)

    report = Report({base: read_stock(path) for base, path in map(by_base, args.stock)})
    for arg in args.ksft_build_failed:
        base, log = by_base(arg)
        report.add("FAIL", f"{base}/all" if base else "all", "kselftests", "build failed")
        print(tail(read(log), 30))
    for run in args.runs:
        variant, rundir = run.split("=", 1)
        report.mark = len(report.raw_failures)
        variant_run(report, variant, rundir)
    for run in args.job:
        job, run = run.split(":", 1)
        variant, rundir = run.split("=", 1)
        report.mark = len(report.raw_failures)
        job_run(report, variant, rundir, job)
    for check in args.host:
        name, log = check.split("=", 1)
        base, _, name = name.rpartition("/")
        rc = read(log + ".rc")
        kselftest_program(report, f"{base}/host" if base else "host", "check",
                          name, read(log),
                          int(rc) if rc and rc.strip().isdigit() else None)

    # Known stock failures first: the end of the output is what gets read.
    for title, log, n, _ in sorted(report.details, key=lambda d: d[3]):
        print(f"---- {title}: last {n} lines of its log")
        print(tail(log, n))
    if report.failures:
        print("---- failed:")
        print("\n".join(report.failures))
    c = report.counts
    print(f"{c['PASS']} passed, {c['FAIL']} failed, {c['SKIP']} skipped")
    return 1 if c["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
