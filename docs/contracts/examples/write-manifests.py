"""The smoke test's manifests, written as the API writes them (docs/provisioning.md, step 7).

Run inside the API's pod, with its identity (only the API may write under manifests/):
    kubectl -n proteomics exec -i deploy/api -- python - <uploads bucket> <analysis id> < write-manifests.py
One sample, S1, of two protein files uploaded under smoketest/S1/.
"""
import json
import sys

import boto3

bucket, analysis = sys.argv[1], sys.argv[2]
base = f"manifests/smoketest/{analysis}"
files = ["P01308.mzML", "P68871.mzML"]
s3 = boto3.client("s3")
s3.put_object(Bucket=bucket, Key=f"{base}/samples.jsonl", Body=json.dumps({"sampleId": "S1", "files": len(files)}) + "\n")
s3.put_object(Bucket=bucket, Key=f"{base}/samples/S1.jsonl", Body="".join(json.dumps({"key": f"smoketest/S1/{name}"}) + "\n" for name in files))
print(f"s3://{bucket}/{base}/samples.jsonl")
