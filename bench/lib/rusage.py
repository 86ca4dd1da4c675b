"""Runs a command and reports its wall time and peak resident memory (from wait4), for the benchmarks.

usage: python3 rusage.py REPORT.json CMD [ARG...]
The command inherits stdin/stdout/stderr; REPORT.json gets {"wall_ms", "maxrss_kb", "exit_code"}.
The wall time runs from just before fork to the child's exit. ru_maxrss is the child's own peak (Linux: KiB).
"""
import json
import os
import sys
import time


def main() -> int:
    report, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            sys.stderr.write(f"rusage.py: cannot run {cmd[0]}: {e}\n")
        os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall_ms = (time.perf_counter() - t0) * 1000
    code = os.waitstatus_to_exitcode(status)
    with open(report, "w") as f:
        json.dump({"wall_ms": wall_ms, "maxrss_kb": ru.ru_maxrss, "exit_code": code}, f)
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
