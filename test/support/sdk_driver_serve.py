"""The serve loop both SDK parity drivers share (test/support/sdk_parity_driver.py, sdk_v3_parity_driver.py).

One SPEC per stdin line, one answer line each: {"job": <job name>} or {"error": "..."}. The test resets the emulator
between cases, so each answer is written (and flushed) before the next line is read.
"""
import json
import os
import sys
import traceback


def serve(run_one, job_name_of):
    """run_one(spec) -> job name; job_name_of(processor) -> the name of its latest job (v2 and v3 spell it apart)."""
    for line in sys.stdin:
        if not line.strip():
            continue
        spec = json.loads(line)
        os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = spec["region"]
        try:
            if "exec" in spec:
                # Exported code ("Copy as Python SDK Code"): run as the user would, from the workspace folder.
                ns = {"__name__": "__exported__"}
                exec(compile(spec["exec"], "<exported>", "exec"), ns)  # noqa: S102 (the test's own export)
                print(json.dumps({"job": job_name_of(ns["processor"])}), flush=True)
                continue
            print(json.dumps({"job": run_one(spec)}), flush=True)
        except Exception as e:  # noqa: BLE001 (reported to the test, which fails with it)
            traceback.print_exc()
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
