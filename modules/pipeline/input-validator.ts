import * as path from "node:path";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { Grantable, IamRole, serviceTrust } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { packageFunction } from "../functions/function-package";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { MAX_FILES_PER_SAMPLE, MAX_MANIFEST_BYTES, MAX_SAMPLES } from "./analysis-contract";
import { inputValidatorName } from "./pipeline-names";

/** The function's code: plain JavaScript with no dependency beyond the runtime's AWS SDK. */
export const INPUT_VALIDATOR_SOURCE = path.join(__dirname, "..", "..", "functions", "validate-analysis-input");

export interface InputValidatorProps {
  /** Resource name prefix, `<project>-<env>`; the function is `<prefix>-validate-analysis-input`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The uploads bucket, where manifests are. */
  readonly manifestBucketName: string;
  /** Key of the function's logs. */
  readonly logsKey: EncryptionKey;
  /** Days its logs are kept. */
  readonly logRetentionDays: number;
}

/**
 * The analysis's first step, a Lambda function (`functions/validate-analysis-input`): checks an execution's input and
 * its manifest against the contract (docs/contracts/) and pins the manifest's version, so a bad analysis fails in
 * seconds instead of after hours of compute. arm64, X-Ray traced, JSON logs to an encrypted log group, its own role
 * (trusted by Lambda for this function only) that may read the manifests and nothing else.
 */
export class InputValidator extends Construct implements Grantable {
  /** Function name and ARN. */
  readonly functionName: string;
  readonly arn: string;
  /** The function's role. */
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: InputValidatorProps) {
    super(scope, id);
    this.functionName = inputValidatorName(props.namePrefix);
    const functionArn = `arn:aws:lambda:${props.region}:${props.accountId}:function:${this.functionName}`;
    const logGroup = new LogGroup(this, "logs", {
      name: `/aws/lambda/${this.functionName}`,
      retentionDays: props.logRetentionDays,
      encryptionKey: props.logsKey,
    });
    this.role = new IamRole(this, "role", {
      roleName: this.functionName,
      description: "Analysis input validation: reads the analysis manifests, writes its logs and traces",
      trust: [serviceTrust("lambda.amazonaws.com", props.accountId, functionArn)],
      statements: [
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ],
    });
    const codePackage = packageFunction(INPUT_VALIDATOR_SOURCE, "validate-analysis-input");
    const code = new TerraformAsset(this, "code", { path: codePackage.path, type: AssetType.FILE, assetHash: codePackage.hexSha256.slice(0, 32) });
    const fn = new LambdaFunction(this, "function", {
      functionName: this.functionName,
      description: "Checks an analysis's input and manifest against docs/contracts before any compute starts",
      role: this.role.arn,
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      // What Lambda reports as CodeSha256: the plan shows a change only when the code changed.
      sourceCodeHash: codePackage.base64Sha256,
      memorySize: 256,
      // Reads one object of at most MAX_MANIFEST_BYTES: seconds at most, even on a cold start.
      timeout: 30,
      environment: {
        variables: {
          MANIFEST_BUCKET: props.manifestBucketName,
          MAX_SAMPLES: String(MAX_SAMPLES),
          MAX_FILES_PER_SAMPLE: String(MAX_FILES_PER_SAMPLE),
          MAX_MANIFEST_BYTES: String(MAX_MANIFEST_BYTES),
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
      tracingConfig: { mode: "Active" },
      dependsOn: [logGroup.resource],
    });
    this.role.grantsBefore(fn);
    this.arn = fn.arn;
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }

  /** Lets `grantee` (the state machine) invoke the function. */
  grantInvoke(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: this.arn });
  }
}
