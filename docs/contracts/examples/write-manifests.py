"""The smoke test's upload and manifests, written as the API writes them (docs/provisioning.md, step 7).

Run inside the API's pod, which holds the only identity that may open tenant sessions for customer data (the
perimeter refuses everyone else, administrators included), after copying the two protein files to its /tmp:
    kubectl -n proteomics cp P01308.mzML <api pod>:/tmp/P01308.mzML    (and P68871.mzML)
    kubectl -n proteomics exec -i deploy/api -- python - <uploads bucket> <analysis id> < write-manifests.py
Opens a session of TENANT_ROLE_ARN tagged tenant=smoketest (the tenant's keys only), uploads the files under
uploads/smoketest/<analysis>/S1/ and writes the analysis manifest and the sample manifest of one sample, S1.
"""
import json
import os
import sys

import boto3

bucket, analysis = sys.argv[1], sys.argv[2]
tenant = "smoketest"
credentials = boto3.client("sts").assume_role(
    RoleArn=os.environ["TENANT_ROLE_ARN"],
    RoleSessionName=f"smoke-{analysis[:8]}",
    Tags=[{"Key": "tenant", "Value": tenant}],
)["Credentials"]
s3 = boto3.client(
    "s3",
    aws_access_key_id=credentials["AccessKeyId"],
    aws_secret_access_key=credentials["SecretAccessKey"],
    aws_session_token=credentials["SessionToken"],
)
files = ["P01308.mzML", "P68871.mzML"]
keys = [f"uploads/{tenant}/{analysis}/S1/{name}" for name in files]
for name, key in zip(files, keys):
    s3.upload_file(f"/tmp/{name}", bucket, key)
base = f"manifests/{tenant}/{analysis}"
s3.put_object(Bucket=bucket, Key=f"{base}/samples.jsonl", Body=json.dumps({"sampleId": "S1", "files": len(files)}) + "\n")
s3.put_object(Bucket=bucket, Key=f"{base}/samples/S1.jsonl", Body="".join(json.dumps({"key": key}) + "\n" for key in keys))
print(f"s3://{bucket}/{base}/samples.jsonl")
