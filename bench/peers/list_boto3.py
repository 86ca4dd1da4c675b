"""Peer worker: lists processing jobs with boto3 (a paginator for all pages), the way a notebook would.

usage: python list_boto3.py first|all   -> last stdout line: {"ms", "count", "pages"}
The endpoint comes from AWS_ENDPOINT_URL (boto3 >= 1.28.57 honours it). Page size 100, like ours.
"""
import json
import sys
import time

import boto3

mode = sys.argv[1]
t0 = time.perf_counter()
sm = boto3.client("sagemaker")
count = pages = 0
if mode == "first":
    out = sm.list_processing_jobs(MaxResults=100)
    count, pages = len(out["ProcessingJobSummaries"]), 1
else:
    for page in sm.get_paginator("list_processing_jobs").paginate(PaginationConfig={"PageSize": 100}):
        count += len(page["ProcessingJobSummaries"])
        pages += 1
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "count": count, "pages": pages}))
