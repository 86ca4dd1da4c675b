"""SDK v3 reference side of test/integration/sdk-parity.test.ts: jobs through the pinned SageMaker Python SDK v3.

usage: python sdk_v3_parity_driver.py -   (cwd: the workspace folder) one SPEC per stdin line, one answer line each
SPEC: the v2 driver's (test/support/sdk_parity_driver.py), spelled as a v3 user writes it here:
  kind script|sklearn → ScriptProcessor (sklearn: image_uris.retrieve("sklearn", region, framework_version), python3);
  kind framework → FrameworkProcessor(image_uri=…: the given one, else the sklearn image; command default ["python"]);
  kind pyspark → sagemaker.core.spark.processing.PySparkProcessor;
  inputs/outputs in the v2 driver's flat form become ProcessingInput(s3_input=ProcessingS3Input(…)) /
  ProcessingOutput(s3_output=ProcessingS3Output(…)), with the name, data type, input mode and upload mode v3 needs.
Answer: {"job": <job name>} or {"error": "..."}. The endpoint comes from AWS_ENDPOINT_URL (the recording proxy).
"""
import json
import logging
import os
import sys

from sdk_driver_serve import serve  # beside this file (sys.path[0])

import boto3  # noqa: E402
import sagemaker.core.helper.session_helper as session_helper  # noqa: E402
from sagemaker.core import image_uris  # noqa: E402
from sagemaker.core.helper.session_helper import Session  # noqa: E402
from sagemaker.core.network import NetworkConfig  # noqa: E402
from sagemaker.core.processing import FrameworkProcessor, ScriptProcessor  # noqa: E402
from sagemaker.core.shapes import ProcessingInput, ProcessingOutput, ProcessingS3Input, ProcessingS3Output  # noqa: E402
from sagemaker.core.spark.processing import PySparkProcessor  # noqa: E402

# As in the v2 driver: the SDK builds its STS endpoint itself; point that helper at the emulator too.
if os.environ.get("AWS_ENDPOINT_URL"):
    session_helper.sts_regional_endpoint = lambda region: os.environ["AWS_ENDPOINT_URL"]
logging.getLogger("sagemaker").setLevel(logging.WARNING)


def v3_input(i, n):
    # v3 needs every input named: a user porting an unnamed v2 input writes v2's default name, input-<n>.
    return ProcessingInput(
        input_name=i.get("input_name") or f"input-{n}",
        s3_input=ProcessingS3Input(
            s3_uri=i["source"],
            local_path=i["destination"],
            s3_data_type=i.get("s3_data_type", "S3Prefix"),
            s3_input_mode=i.get("s3_input_mode", "File"),
            s3_data_distribution_type=i.get("s3_data_distribution_type", "FullyReplicated"),
            s3_compression_type=i.get("s3_compression_type", "None"),
        ),
    )


def v3_output(o, n):
    return ProcessingOutput(
        output_name=o.get("output_name") or f"output-{n}",
        s3_output=ProcessingS3Output(
            # Without a destination the local path stands in: the SDK then makes s3://<bucket>/<job>/output/<name>.
            s3_uri=o.get("destination") or o["source"],
            local_path=o["source"],
            s3_upload_mode=o.get("s3_upload_mode", "EndOfJob"),
        ),
    )


def run_one(spec):
    region = spec["region"]
    session = Session(boto_session=boto3.Session(region_name=region), **(spec.get("session") or {}))
    pk = dict(spec.get("processor") or {})
    if pk.get("network_config") is not None:
        pk["network_config"] = NetworkConfig(**pk["network_config"])
    rk = dict(spec.get("run") or {})
    if "inputs" in rk:
        rk["inputs"] = [v3_input(i, n) for n, i in enumerate(rk["inputs"], 1)]
    if "outputs" in rk:
        rk["outputs"] = [v3_output(o, n) for n, o in enumerate(rk["outputs"], 1)]
    kind = spec["kind"]
    if kind in ("script", "sklearn"):
        if kind == "sklearn":
            pk["image_uri"] = image_uris.retrieve("sklearn", region, version=pk.pop("framework_version"))
            pk.setdefault("command", ["python3"])
        processor = ScriptProcessor(sagemaker_session=session, **pk)
    elif kind == "framework":
        version = pk.pop("framework_version", None)
        if not pk.get("image_uri"):
            pk["image_uri"] = image_uris.retrieve("sklearn", region, version=version)
        processor = FrameworkProcessor(sagemaker_session=session, **pk)
    elif kind == "pyspark":
        processor = PySparkProcessor(sagemaker_session=session, **pk)
    else:
        raise SystemExit(f"unknown kind {kind}")
    processor.run(wait=False, logs=False, **rk)
    return processor.latest_job.processing_job_name


serve(run_one, lambda processor: processor.latest_job.processing_job_name)
