"""Peer worker: waits for a processing job the SDK's way (Session.wait_for_processing_job, DescribeProcessingJob
every 5 s) until it raises UnexpectedStatusException with the job's FailureReason — all the SDK says of a failure.

usage: python failure_sdk.py JOB   → a last stdout line: {"raisedAt": epoch ms, "message": ...}
"""
import json
import os
import sys
import time

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
from sagemaker.session import Session  # noqa: E402
from sagemaker.exceptions import UnexpectedStatusException  # noqa: E402

try:
    Session().wait_for_processing_job(sys.argv[1])
    print(flush=True)
    print(json.dumps({"raisedAt": None, "message": "completed"}), flush=True)
except UnexpectedStatusException as e:
    raised_at = time.time() * 1000
    print(flush=True)  # after the progress dots wait() prints
    print(json.dumps({"raisedAt": raised_at, "message": str(e)}), flush=True)
