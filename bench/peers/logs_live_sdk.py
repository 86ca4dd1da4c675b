"""Peer worker: follows a running processing job's logs with the SageMaker Python SDK, as run(logs=True) or
ProcessingJob.wait(logs=True) does: Session().logs_for_processing_job(job, wait=True), at its default poll (10 s).
Each line the benchmark's writer puts carries its write time ("wrote=<epoch ms>"); the lag is taken when the SDK
writes the line to stdout.

usage: python logs_live_sdk.py JOB   -> the lines, then a last stdout line: {"lags": [ms...], "lines"}
"""
import json
import os
import re
import sys
import time

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
from sagemaker.session import Session  # noqa: E402

WROTE = re.compile(r"wrote=(\d{13})")


class Stamped:
    """sys.stdout that notes, per complete line written, the wall-clock time it was shown."""

    def __init__(self, out):
        self.out = out
        self.pending = ""
        self.lags = []
        self.lines = 0

    def write(self, s):
        n = self.out.write(s)
        now = time.time() * 1000
        self.pending += s
        *done, self.pending = self.pending.split("\n")
        for line in done:
            m = WROTE.search(line)
            if m:
                self.lags.append(now - int(m.group(1)))
                self.lines += 1
        return n

    def flush(self):
        self.out.flush()

    def __getattr__(self, name):  # isatty, encoding, fileno...: the real stream's
        return getattr(self.out, name)


real = sys.stdout
stamped = Stamped(real)
sys.stdout = stamped
try:
    Session().logs_for_processing_job(sys.argv[1], wait=True)
finally:
    sys.stdout = real
real.write("\n" + json.dumps({"lags": stamped.lags, "lines": stamped.lines}) + "\n")
real.flush()
