"""Peer worker: runs a processing job locally with the SageMaker Python SDK's local mode, the way a notebook cell does:
ScriptProcessor(..., instance_type="local", sagemaker_session=LocalSession()).run(..., wait=True, logs=True).

usage: python local_sdk.py SPEC.json   (run in the folder holding the script and its local inputs)
SPEC: {role, image, command, baseJobName, code, arguments, downloadDir,
       inputs: [{name, source, destination}], outputs: [{name, source}]}

What the SDK does (2.257.7): it uploads the code and the local inputs to its default bucket
(sagemaker-<region>-<account>, created if missing), downloads the inputs again into a temporary folder, writes a
compose file and runs `docker compose up` (v2) or `docker-compose up` (v1), then uploads each output to its
destination. Processing in local mode does not take `local.local_code` (run() refuses it), and every output
destination that is not s3:// is replaced by s3://<default bucket>/<job>/output/<name>: its outputs land in S3.
S3 and STS are reached through AWS_ENDPOINT_URL (the emulator); docker through DOCKER_HOST.

stdout: the SDK's own output (compose's lines, the container's lines prefixed with its name), and these marker lines,
each flushed as it happens:
  @@local_sdk first-line      when the first line of the script's own output is shown
  @@local_sdk done            when run() has returned (the outputs are in their destination)
then, after the outputs were checked (downloaded into downloadDir: every output folder must hold a file),
a last line: {"run_ms" (LocalSession() and ScriptProcessor(...) through run() returned), "session_ms" (LocalSession()),
"import_ms", "job", "outputs": {name: [files]}}. Exits non-zero on any failure.
"""
import json
import os
import re
import sys
import time

t_start = time.perf_counter()
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
from sagemaker.local import LocalSession  # noqa: E402
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor  # noqa: E402
from sagemaker.s3 import S3Downloader  # noqa: E402
import sagemaker.session  # noqa: E402
import sagemaker.telemetry.telemetry_logging  # noqa: E402
import_ms = (time.perf_counter() - t_start) * 1000

# The SDK builds its STS clients with an explicit regional endpoint, which wins over AWS_ENDPOINT_URL: point that
# one helper at the emulator too (as bench/peers/submit_sdk.py does). Every other call goes where the SDK sends it.
if os.environ.get("AWS_ENDPOINT_URL"):
    sagemaker.session.sts_regional_endpoint = lambda region: os.environ["AWS_ENDPOINT_URL"]
# The SDK's telemetry ends each run with an HTTPS GET to an AWS-hosted bucket, which no setting can send to the
# emulator and this machine cannot reach: only that request is skipped (its STS call and the rest still run).
# Opting out through the SDK's config (TelemetryOptOut) is not used: any config makes the SDK validate it against
# its JSON schema on every lookup, seconds per run, which a notebook with no config file does not pay.
sagemaker.telemetry.telemetry_logging._requests_helper = lambda url, timeout: None

with open(sys.argv[1]) as f:
    spec = json.load(f)

# A line of the container as compose v1/v2 shows it: "<container name>  | <text>" (with colour codes); the SDK names
# its containers <random>-algo-<n>-<random>.
CONTAINER_LINE = re.compile(r"^(?:\x1b\[[0-9;]*m)*\S*algo-\d+-\w+\s*\|")


class Watch:
    """Stdout as the SDK writes it (one write per line read from compose), marking the container's first line."""

    def __init__(self, inner):
        self.inner = inner
        self.seen = False

    def write(self, s):
        n = self.inner.write(s)
        if not self.seen and CONTAINER_LINE.match(s):
            self.seen = True
            self.inner.write(("" if s.endswith("\n") else "\n") + "@@local_sdk first-line\n")
        self.inner.flush()
        return n

    def flush(self):
        self.inner.flush()

    def __getattr__(self, name):
        return getattr(self.inner, name)


sys.stdout = Watch(sys.stdout)

t0 = time.perf_counter()
session = LocalSession()
session_ms = (time.perf_counter() - t0) * 1000
processor = ScriptProcessor(
    role=spec["role"],
    image_uri=spec["image"],
    command=spec["command"],
    instance_type="local",
    instance_count=1,
    base_job_name=spec.get("baseJobName"),
    sagemaker_session=session,
)
processor.run(
    code=spec["code"],
    inputs=[ProcessingInput(source=i["source"], destination=i["destination"], input_name=i["name"]) for i in spec["inputs"]],
    outputs=[ProcessingOutput(source=o["source"], output_name=o["name"]) for o in spec["outputs"]],
    arguments=spec.get("arguments") or None,
    wait=True,
    logs=True,
)
run_ms = (time.perf_counter() - t0) * 1000
sys.stdout.write("\n@@local_sdk done\n")

if not sys.stdout.seen:
    sys.exit("local_sdk.py: no line of the script's own output was seen")
job = processor.latest_job
desc = job.describe()
if desc.get("ProcessingJobStatus") != "Completed":
    sys.exit(f"local_sdk.py: the job ended {desc.get('ProcessingJobStatus')}: {desc.get('FailureReason', '')}")
got = {}
for o in desc["ProcessingOutputConfig"]["Outputs"]:
    dest = os.path.join(spec["downloadDir"], o["OutputName"])
    S3Downloader.download(o["S3Output"]["S3Uri"], dest, sagemaker_session=session)
    files = sorted(os.path.relpath(os.path.join(d, f), dest) for d, _, fs in os.walk(dest) for f in fs)
    if not files:
        sys.exit(f"local_sdk.py: output {o['OutputName']} ({o['S3Output']['S3Uri']}) holds no file")
    got[o["OutputName"]] = files
sys.stdout.inner.write(json.dumps({"run_ms": run_ms, "session_ms": session_ms, "import_ms": import_ms, "job": job.job_name, "outputs": got}) + "\n")
sys.stdout.flush()
