"""Peer worker: submits a processing job with the SageMaker Python SDK, the way a notebook cell does:
ScriptProcessor(...).run(code=..., inputs=..., outputs=..., arguments=..., wait=False, logs=False).

usage: python submit_sdk.py SPEC.json   (run in the folder holding the script and its local inputs)
SPEC: {role, image, command, instanceType, instanceCount, baseJobName, code, arguments,
       inputs: [{name, source, destination}], outputs: [{name, source, destination?}]}
It submits twice in one process, as a notebook re-running its cell does (same Session): the first ("cold") and the
second ("warm"). Last stdout line: {"ms", "warm_ms" (Session()/ScriptProcessor(...) to run() returned), "import_ms", "job"}.
The endpoint comes from AWS_ENDPOINT_URL (boto3 honours it); the default bucket is the SDK's own
(sagemaker-<region>-<account>, created if missing), as for a notebook user.
"""
import json
import logging
import os
import sys
import time

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
t_import = time.perf_counter()
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor  # noqa: E402
from sagemaker.session import Session  # noqa: E402
import sagemaker.session  # noqa: E402
import_ms = (time.perf_counter() - t_import) * 1000

# The SDK builds its STS clients with an explicit regional endpoint, which wins over AWS_ENDPOINT_URL: point that
# one helper at the emulator too. The SDK still makes every call it makes against AWS (STS, S3, SageMaker).
if os.environ.get("AWS_ENDPOINT_URL"):
    sagemaker.session.sts_regional_endpoint = lambda region: os.environ["AWS_ENDPOINT_URL"]
logging.getLogger("sagemaker").setLevel(logging.WARNING)

with open(sys.argv[1]) as f:
    spec = json.load(f)



def submit(session):
    processor = ScriptProcessor(
        role=spec["role"],
        image_uri=spec["image"],
        command=spec["command"],
        instance_type=spec["instanceType"],
        instance_count=spec["instanceCount"],
        base_job_name=spec.get("baseJobName"),
        sagemaker_session=session,
    )
    processor.run(
        code=spec["code"],
        inputs=[ProcessingInput(source=i["source"], destination=i["destination"], input_name=i["name"]) for i in spec["inputs"]],
        outputs=[
            ProcessingOutput(source=o["source"], destination=o.get("destination"), output_name=o["name"])
            for o in spec["outputs"]
        ],
        arguments=spec.get("arguments") or None,
        wait=False,
        logs=False,
    )
    return processor.latest_job.job_name


t0 = time.perf_counter()
session = Session()
job = submit(session)
ms = (time.perf_counter() - t0) * 1000
time.sleep(0.005)  # job names have millisecond timestamps
t1 = time.perf_counter()
submit(session)
warm_ms = (time.perf_counter() - t1) * 1000
print(json.dumps({"ms": ms, "warm_ms": warm_ms, "import_ms": import_ms, "job": job}))
