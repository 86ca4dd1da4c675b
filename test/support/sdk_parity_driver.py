"""Reference side of test/integration/sdk-parity.test.ts: runs one job through the pinned SageMaker Python SDK.

usage: python sdk_parity_driver.py SPEC.json   (cwd: the workspace folder)
       python sdk_parity_driver.py -           one SPEC per stdin line, one answer line each (one process, all cases)
SPEC: {region, session: {default_bucket?, default_bucket_prefix?}, kind: script|sklearn|framework|pyspark,
       processor: {constructor kwargs; network_config as a dict of NetworkConfig kwargs},
       run: {run kwargs; inputs/outputs as lists of ProcessingInput/ProcessingOutput kwargs}}
Last stdout line: {"job": <job name>}. The endpoint comes from AWS_ENDPOINT_URL (the test's recording proxy).
"""
import json
import logging
import os
import sys

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
import boto3  # noqa: E402
import sagemaker.session  # noqa: E402
from sagemaker.network import NetworkConfig  # noqa: E402
from sagemaker.processing import FrameworkProcessor, ProcessingInput, ProcessingOutput, ScriptProcessor  # noqa: E402
from sagemaker.session import Session  # noqa: E402
from sagemaker.sklearn.processing import SKLearnProcessor  # noqa: E402
from sagemaker.spark.processing import PySparkProcessor  # noqa: E402

# The SDK builds its STS endpoint itself (sts_regional_endpoint), which wins over AWS_ENDPOINT_URL: point that one
# helper at the emulator too. Every other call goes where boto3 sends it (AWS_ENDPOINT_URL).
if os.environ.get("AWS_ENDPOINT_URL"):
    sagemaker.session.sts_regional_endpoint = lambda region: os.environ["AWS_ENDPOINT_URL"]
logging.getLogger("sagemaker").setLevel(logging.WARNING)

def run_one(spec):
    session = Session(boto_session=boto3.Session(region_name=spec["region"]), **(spec.get("session") or {}))
    pk = dict(spec.get("processor") or {})
    if pk.get("network_config") is not None:
        pk["network_config"] = NetworkConfig(**pk["network_config"])
    rk = dict(spec.get("run") or {})
    if "inputs" in rk:
        rk["inputs"] = [ProcessingInput(**i) for i in rk["inputs"]]
    if "outputs" in rk:
        rk["outputs"] = [ProcessingOutput(**o) for o in rk["outputs"]]

    kind = spec["kind"]
    if kind == "script":
        processor = ScriptProcessor(sagemaker_session=session, **pk)
    elif kind == "sklearn":
        processor = SKLearnProcessor(sagemaker_session=session, **pk)
    elif kind == "framework":
        from sagemaker.sklearn.estimator import SKLearn

        processor = FrameworkProcessor(estimator_cls=SKLearn, sagemaker_session=session, **pk)
    elif kind == "pyspark":
        processor = PySparkProcessor(sagemaker_session=session, **pk)
    else:
        raise SystemExit(f"unknown kind {kind}")
    processor.run(wait=False, logs=False, **rk)
    return processor.latest_job.job_name


if sys.argv[1] == "-":
    from sdk_driver_serve import serve  # beside this file (sys.path[0])

    serve(run_one, lambda processor: processor.latest_job.job_name)
else:
    with open(sys.argv[1]) as f:
        print(json.dumps({"job": run_one(json.load(f))}))
