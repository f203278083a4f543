#!/usr/bin/env python3
"""Runs `fitcheck doctor RUN --format json` on every case folder (run.json + expect.json) and
judges it as design.md's evaluation does: every expected category (or one of a list of
alternatives) at warning or error, none of must_not at those severities; a healthy case passes
when nothing is above info. Prints one line per case and exits 1 if any case fails.

usage: eval_cases.py FITCHECK CASES_DIR [CASE ...]
Run by ctest (cases.doctor) on tests/cases."""
import json, os, subprocess, sys, time


def judge(expect, findings):
    reported = {f["category"] for f in findings if f.get("severity") in ("warning", "error")}
    problems = []
    if expect.get("healthy"):
        if reported:
            problems.append("healthy, but reported " + ", ".join(sorted(reported)))
        return problems
    for want in expect.get("categories", []):
        alts = want if isinstance(want, list) else [want]
        if not reported.intersection(alts):
            problems.append("missing " + " | ".join(alts))
    for bad in expect.get("must_not", []):
        if bad in reported:
            problems.append("must_not " + bad)
    return problems


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    fitcheck, root = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "expect.json")))
    failed = 0
    for name in names:
        case = os.path.join(root, name)
        with open(os.path.join(case, "expect.json")) as f:
            expect = json.load(f)
        t = time.perf_counter()
        proc = subprocess.run([fitcheck, "doctor", os.path.join(case, "run.json"), "--format", "json"],
                              capture_output=True, text=True, timeout=900)
        wall = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            problems = [f"exit {proc.returncode}: {proc.stderr.strip()[:300]}"]
            reported = set()
        else:
            doc = json.loads(proc.stdout)
            problems = judge(expect, doc["findings"])
            reported = sorted({f["category"] + ":" + f["severity"][0] for f in doc["findings"] if f["severity"] != "info"})
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {name:40s} {wall:6.1f}s  {'; '.join(problems) if problems else ''}  [{', '.join(reported)}]")
    print(f"{len(names) - failed}/{len(names)} cases pass")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
