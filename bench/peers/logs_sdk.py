"""Peer worker: prints a finished processing job's logs with the SageMaker Python SDK, as run(logs=True) or
ProcessingJob.wait(logs=True) does once the job has ended: Session().logs_for_processing_job(job, wait=False).

usage: python logs_sdk.py JOB   -> the lines, then a last stdout line: {"ms"}
"""
import json
import os
import sys
import time

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
from sagemaker.session import Session  # noqa: E402

t0 = time.perf_counter()
Session().logs_for_processing_job(sys.argv[1], wait=False)
sys.stdout.flush()
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}))
