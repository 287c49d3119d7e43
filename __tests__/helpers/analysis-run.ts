import * as path from "node:path";
import { StateMachineDefinition } from "../../modules/pipeline/asl";
import { EnvironmentConfig } from "../../environments";
import { LocalBatch, LocalS3, AttemptScript, executionStatusEvent } from "./local-aws";
import { ExecutionRun, runExecution, taskError } from "./local-step-functions";
import { StackJson, resourcesOf } from "./synth";
import { INPUT_VALIDATOR_SOURCE } from "../../modules/pipeline/input-validator";

/**
 * One environment's analysis, run from its synthesized `<env>-pipeline` stack: the state machine's definition as
 * synthesized, the validation function's real code with its synthesized configuration, a local S3 the test writes
 * manifests to as the API would, and a local Batch that runs the synthesized job definitions' retry strategies.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
const BATCH_SUBMIT_SYNC = "arn:aws:states:::batch:submitJob.sync";

/** A sample of a test analysis: its id and how many protein files it holds. */
export interface TestSample {
  readonly sampleId: string;
  readonly files: number;
}

type ValidatorModule = { createHandler: (dependencies: Json) => (event: Json) => Promise<Json> };
let validatorModule: Promise<ValidatorModule> | undefined;
/** The validation function's code, loaded once (an ES module). */
export const loadValidator = (): Promise<ValidatorModule> => (validatorModule ??= import(path.join(INPUT_VALIDATOR_SOURCE, "index.mjs")));

export class AnalysisHarness {
  readonly definition: StateMachineDefinition;
  readonly stateMachineArn: string;
  /** The uploads bucket as the function's configuration names it. */
  readonly bucket: string;
  readonly s3 = new LocalS3();
  readonly functionArn: string;
  private readonly functionEnvironment: Record<string, string>;

  constructor(
    readonly env: EnvironmentConfig,
    readonly stack: StackJson,
  ) {
    this.definition = JSON.parse(onlyMachine(stack, `${env.project}-${env.name}-analysis`).definition);
    this.stateMachineArn = `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${env.project}-${env.name}-analysis`;
    const [functionId, fn] = Object.entries(resourcesOf(stack, "aws_lambda_function"))[0];
    this.functionArn = `\${aws_lambda_function.${functionId}.arn}`;
    this.functionEnvironment = fn.environment.variables;
    this.bucket = this.functionEnvironment.MANIFEST_BUCKET;
  }

  /** Writes an analysis's manifests as the API does and returns the execution input. */
  writeAnalysis(analysisId: string, tenantId: string, samples: readonly TestSample[]): Json {
    const base = `manifests/${tenantId}/${analysisId}`;
    this.s3.put(this.bucket, `${base}/samples.jsonl`, samples.map((sample) => JSON.stringify(sample)).join("\n") + "\n");
    return { analysisId, tenantId, manifest: { bucket: this.bucket, key: `${base}/samples.jsonl` } };
  }

  /**
   * Runs one execution named `name` (the analysis id, as the API names them). `batchDelayMs` holds every Batch answer
   * that long (a job still running when the execution times out or is stopped).
   */
  async run(
    input: Json,
    options: { name: string; batch?: LocalBatch; script?: AttemptScript; timeoutMs?: number; abortAfterMs?: number; batchDelayMs?: number },
  ): Promise<{ run: ExecutionRun; batch: LocalBatch; event: Json }> {
    const batch = options.batch ?? new LocalBatch(this.stack, options.script);
    const handler = (await loadValidator()).createHandler({ getObject: this.s3.getObject, environment: this.functionEnvironment });
    const run = await runExecution(this.definition, input, {
      name: options.name,
      stateMachineArn: this.stateMachineArn,
      timeoutMs: options.timeoutMs,
      abortAfterMs: options.abortAfterMs,
      readItems: this.s3.readItems,
      handler: async (resource, parameters) => {
        if (resource === LAMBDA_INVOKE) {
          if (parameters.FunctionName !== this.functionArn) throw taskError("Lambda.ResourceNotFoundException", `no function ${parameters.FunctionName}`);
          return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: await handler(parameters.Payload) };
        }
        if (resource === BATCH_SUBMIT_SYNC) {
          if (options.batchDelayMs) await new Promise((resolve) => setTimeout(resolve, options.batchDelayMs));
          return batch.submitJobSync(parameters);
        }
        throw new Error(`the analysis called ${resource}, which the test does not stand in for`);
      },
    });
    return { run, batch, event: executionStatusEvent(run, { stateMachineArn: this.stateMachineArn, region: this.env.region, account: this.env.awsAccountId }) };
  }
}

/** The state machine named `name` in a stack. */
export function onlyMachine(stack: StackJson, name: string): Json {
  const machine = Object.values(resourcesOf(stack, "aws_sfn_state_machine")).find((candidate) => candidate.name === name);
  if (!machine) throw new Error(`no state machine ${name}`);
  return machine;
}

