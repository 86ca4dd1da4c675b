"""Reference side of test/integration/sdk-import.test.ts: runs a notebook's code cells as Jupyter would, with the
pinned SageMaker Python SDK (v2 in $SMP_CACHE/bench-venv, v3 in $SMP_CACHE/sdk-v3-venv).

usage: python notebook_cells_driver.py NOTEBOOK.ipynb   (cwd: the notebook's folder)
`%%writefile [-a] path` cells write their file (IPython's magic); other `%`/`!` lines are skipped. The endpoint comes
from AWS_ENDPOINT_URL (the test's recording proxy). Only the SDK's waiting is replaced (run(wait=True) returns at once:
the emulator's job never ends); what is sent is the SDK's own.
"""
import json
import logging
import os
import sys

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
endpoint = os.environ.get("AWS_ENDPOINT_URL")
try:  # v2
    import sagemaker.session as _sess
    import sagemaker.processing as _proc

    if endpoint:
        _sess.sts_regional_endpoint = lambda region: endpoint
    _proc.ProcessingJob.wait = lambda self, logs=True: None
except ImportError:  # v3
    import sagemaker.core.helper.session_helper as _sess
    import sagemaker.core.processing as _proc

    if endpoint:
        _sess.sts_regional_endpoint = lambda region: endpoint
    _proc.logs_for_processing_job = lambda *a, **k: None
    _proc._wait_for_processing_job = lambda *a, **k: None
logging.getLogger("sagemaker").setLevel(logging.WARNING)

with open(sys.argv[1], encoding="utf-8") as f:
    nb = json.load(f)
ns = {"__name__": "__main__"}
for cell in nb["cells"]:
    if cell.get("cell_type") != "code":
        continue
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    lines = text.split("\n")
    first = lines[0].strip().split()
    if first and first[0] == "%%writefile":
        args = first[1:]
        mode = "a" if args and args[0] in ("-a", "--append") else "w"
        path = " ".join(args[1:] if mode == "a" else args)
        with open(path, mode, encoding="utf-8") as out:
            out.write("\n".join(lines[1:]))
        continue
    code = "\n".join("pass" if l.lstrip().startswith(("%", "!")) else l for l in lines)
    exec(compile(code, "<cell>", "exec"), ns)
print(json.dumps({"ok": True}))
