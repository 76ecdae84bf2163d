#!/usr/bin/env python3
"""Writes internal/review/createonly.json: per resource type, the top-level
properties whose change makes CloudFormation replace the resource.

Source: the CloudFormation resource-provider (registry) schemas that cfn-lint
ships (cfnlint/data/schemas/resources/<hash>.json, indexed by
providers/us_east_1.py), field "createOnlyProperties". A nested path such as
/properties/EncryptionConfiguration/KmsKey counts for its top-level property.

Types covered: every type in the golden templates, plus every type of the
services the baseline and its consumers use (SERVICES), so a new stack of
those services needs no regeneration. TestCreateOnlyTableCoversEveryType
fails when a template uses a type that is missing.

Run: python3 scripts/review/createonly.py  (make createonly), then commit.
"""
import datetime
import glob
import json
import os
import re
import sys

import cfnlint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "internal", "review", "createonly.json")
GOLDENS = os.path.join(ROOT, "assertions_test", "testdata", "golden", "*.template.json")
SERVICES = [
    "ApplicationAutoScaling", "AutoScaling", "Backup", "CertificateManager", "CloudFront",
    "CloudTrail", "CloudWatch", "Config", "DynamoDB", "EC2", "ECR", "ECS", "EFS",
    "ElastiCache", "ElasticLoadBalancingV2", "Events", "GuardDuty", "IAM", "KMS",
    "Lambda", "Logs", "RDS", "Route53", "S3", "SNS", "SQS", "SSM", "SecretsManager",
    "WAFv2",
]


def main():
    schemas = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
    index = open(os.path.join(schemas, "providers", "us_east_1.py")).read()
    hashes = dict(re.findall(r'"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "([0-9a-f]+)"', index))
    wanted = set()
    for path in glob.glob(GOLDENS):
        for res in json.load(open(path)).get("Resources", {}).values():
            if res.get("Type", "").startswith("AWS::"):
                wanted.add(res["Type"])
    for typ in hashes:
        parts = typ.split("::")
        if parts[0] == "AWS" and parts[1] in SERVICES:
            wanted.add(typ)
    types = {}
    missing = []
    for typ in sorted(wanted):
        if typ not in hashes:
            missing.append(typ)
            continue
        schema = json.load(open(os.path.join(schemas, "resources", hashes[typ] + ".json")))
        props = set()
        for p in schema.get("createOnlyProperties", []):
            parts = p.split("/")
            if len(parts) >= 3 and parts[1] == "properties":
                props.add(parts[2])
        types[typ] = sorted(props)
    if missing:
        sys.exit("no schema for: " + ", ".join(missing))
    doc = {
        "source": "cfn-lint %s registry schemas (us-east-1), createOnlyProperties, top-level property of each path"
        % cfnlint.version.__version__,
        "generated": datetime.date.today().isoformat(),
        "generator": "scripts/review/createonly.py",
        "types": types,
    }
    # One line per type: small diffs when the schemas change.
    lines = ['  "%s": %s' % (k, json.dumps(doc[k])) for k in ("generated", "generator", "source")]
    rows = ['    "%s": %s' % (t, json.dumps(types[t])) for t in sorted(types)]
    with open(OUT, "w") as f:
        f.write("{\n" + ",\n".join(lines) + ',\n  "types": {\n' + ",\n".join(rows) + "\n  }\n}\n")
    print("wrote %s: %d types" % (os.path.relpath(OUT, ROOT), len(types)))


if __name__ == "__main__":
    main()
