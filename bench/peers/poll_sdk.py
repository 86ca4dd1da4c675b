"""Peer worker: watches N running processing jobs the SDK's way, one ProcessingJob.wait() (logs=False) each:
sagemaker.Session.wait_for_processing_job polls DescribeProcessingJob every 5 s per job.

usage: python poll_sdk.py SECONDS NAME...   (the jobs are kept InProgress by the benchmark's proxy)
Runs the waits in threads for SECONDS, then exits; the proxy counts the calls.
"""
import os
import sys
import threading
import time

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
from sagemaker.session import Session  # noqa: E402

seconds, names = float(sys.argv[1]), sys.argv[2:]
session = Session()
for name in names:
    threading.Thread(target=session.wait_for_processing_job, args=(name,), daemon=True).start()
print("started", flush=True)
time.sleep(seconds)
os._exit(0)
