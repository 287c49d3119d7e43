import { StateMachine as LocalStateMachine } from "aws-local-stepfunctions";
import { stateHistoryEvents } from "../../modules/pipeline/execution-history";
import { MapState, State, StateMachineDefinition, States } from "../../modules/pipeline/asl";

/**
 * Runs synthesized state machine definitions with aws-local-stepfunctions (a TypeScript interpreter of the States
 * Language), with local handlers standing in for the AWS services the Task states call.
 *
 * The interpreter has no Distributed Map: it cannot read S3 (ItemReader) or start child executions. The runner
 * stands in for Step Functions there, and says so: a DISTRIBUTED Map state is run as a Task whose handler reads the
 * items its ItemReader would yield (from the test's S3), shapes each with the state's own ItemSelector (evaluated by
 * the interpreter), runs the state's ItemProcessor as one child execution per item (by the interpreter, at most
 * MaxConcurrency at once), applies ToleratedFailurePercentage, and fails like Step Functions
 * (States.ExceedToleratedFailureThreshold, States.DataLimitExceeded for an output above 256 KiB).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** What a Task state calls: its Resource, the parameters it resolved, and the state's name. */
export type TaskHandler = (resource: string, parameters: Json, stateName: string) => Promise<Json> | Json;

/** An error a handler throws to fail a Task the way the service would (`States.TaskFailed`, `Batch.ClientException`). */
export function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** Step Functions' limit on an execution's input, a state's output and a Map's output, bytes. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value ?? null), "utf8");

/** One execution's end, the way Step Functions reports it. */
export interface ExecutionRun {
  readonly name: string;
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly input: Json;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  /** History events Step Functions would write for this run (the same counts as the worst-case model). */
  readonly historyEvents: number;
  /** The size of every state's output, in order. */
  readonly stateOutputs: ReadonlyArray<{ readonly state: string; readonly bytes: number }>;
  /** The states entered, in order. */
  readonly path: readonly string[];
  /** Child executions of Distributed Map states. */
  readonly children: readonly ExecutionRun[];
}

export interface RunOptions {
  /** Calls of every Task state (after its Parameters are resolved). */
  readonly handler: TaskHandler;
  /** Items a Distributed Map's ItemReader yields for its resolved parameters ({ Bucket, Key, VersionId }). */
  readonly readItems?: (parameters: Json, readerConfig: Json) => Json[];
  /** The execution's name and its state machine's ARN (the Context Object). */
  readonly name: string;
  readonly stateMachineArn: string;
  /** Milliseconds the runner waits in every Wait state and between retries. @default 0 */
  readonly waitMs?: number;
  /** Replaces the definition's TimeoutSeconds, milliseconds, for a time-out case. */
  readonly timeoutMs?: number;
  /** Aborts the run after this many milliseconds. */
  readonly abortAfterMs?: number;
}

const DISTRIBUTED_MAP_RESOURCE = "local:distributed-map";
/** Definitions the interpreter has validated, by content (asl-validator compiles its schemas anew on each call). */
const VALIDATED = new Set<string>();

function isDistributed(state: State): state is MapState {
  return state.Type === "Map" && state.ItemProcessor.ProcessorConfig.Mode === "DISTRIBUTED";
}

/** Evaluates a payload template (Parameters, ItemSelector) with the interpreter, against `input` and `context`. */
async function evaluateTemplate(template: Json, input: Json, context: Json): Promise<Json> {
  const machine = new LocalStateMachine({ StartAt: "Evaluate", States: { Evaluate: { Type: "Pass", Parameters: template, End: true } } } as Json, {
    validationOptions: { noValidate: true },
  });
  return machine.run(input, { context }).result;
}

/** Runs `items` through `task`, at most `concurrency` at once, keeping their order. */
async function inPool<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency || items.length, items.length)) }, worker));
  return results;
}

/** Runs one execution of `definition` with `input`. */
export async function runExecution(definition: StateMachineDefinition, input: Json, options: RunOptions): Promise<ExecutionRun> {
  const states: Record<string, State> = { ...definition.States };
  const children: ExecutionRun[] = [];
  const context = {
    Execution: { Id: `${options.stateMachineArn.replace(":stateMachine:", ":execution:")}:${options.name}`, Name: options.name, Input: input, StartTime: new Date().toISOString() },
    StateMachine: { Id: options.stateMachineArn, Name: options.stateMachineArn.split(":").pop() },
  };

  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (isDistributed(state)) {
      // The interpreter runs a Task in its place; the handler does what Step Functions does for the map run.
      states[name] = {
        Type: "Task",
        Resource: DISTRIBUTED_MAP_RESOURCE,
        ResultPath: state.ResultPath,
        ...(state.Retry ? { Retry: state.Retry } : {}),
        ...(state.Catch ? { Catch: state.Catch } : {}),
        ...("Next" in state && state.Next ? { Next: state.Next } : { End: true as const }),
      };
      handlers[name] = (mapInput) => runDistributedMap(state, name, mapInput, context, options, children);
    } else if (state.Type === "Task") {
      handlers[name] = async (parameters) => options.handler(state.Resource, parameters, name);
    }
  }

  const runnable = { ...definition, States: states as States, ...(options.timeoutMs !== undefined ? { TimeoutSeconds: options.timeoutMs / 1000 } : {}) };
  // The interpreter validates a definition (asl-validator) once; the children of a map share their processor's.
  const content = JSON.stringify(definition);
  const validated = VALIDATED.has(content);
  VALIDATED.add(content);
  const machine = new LocalStateMachine(runnable as Json, { validationOptions: validated ? { noValidate: true } : { checkArn: false, checkPaths: false } });
  const waits = Object.fromEntries(Object.entries(states).filter(([, s]) => s.Type === "Wait").map(([n]) => [n, options.waitMs ?? 0]));
  const retries = Object.fromEntries(Object.entries(states).filter(([, s]) => "Retry" in s && s.Retry).map(([n]) => [n, options.waitMs ?? 0]));
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retries },
    context,
  });
  const events: Json[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  const abortTimer = options.abortAfterMs !== undefined ? setTimeout(() => execution.abort(), options.abortAfterMs) : undefined;

  let end: Pick<ExecutionRun, "status" | "output" | "error" | "cause">;
  try {
    end = { status: "SUCCEEDED", output: await execution.result };
  } catch (error) {
    const failure = error as Error & { cause?: Error };
    if (failure.name === "ExecutionTimeoutError") end = { status: "TIMED_OUT", error: "States.Timeout", cause: "the execution ran past TimeoutSeconds" };
    else if (failure.name === "ExecutionAbortedError") end = { status: "ABORTED" };
    else if (failure.cause) end = { status: "FAILED", error: failure.cause.name, cause: failure.cause.message };
    else throw error;
  } finally {
    if (abortTimer) clearTimeout(abortTimer);
  }
  await Promise.race([collecting, new Promise((resolve) => setTimeout(resolve, 50))]);

  const stateEvents = events.filter((event) => event.index === undefined && event.state);
  let historyEvents = 2;
  for (const event of stateEvents) {
    const original = definition.States[event.state.name];
    if (!original) continue;
    if (event.type === "StateEntered") {
      if (original.Type === "Task") historyEvents += stateHistoryEvents({ ...original, Retry: [] });
      else historyEvents += stateHistoryEvents(original);
    } else if (event.type === "StateRetried" && original.Type === "Task") {
      historyEvents += stateHistoryEvents({ ...original, Retry: [] }) - 2;
    }
  }
  return {
    name: options.name,
    input,
    ...end,
    historyEvents,
    stateOutputs: stateEvents.filter((event) => event.type === "StateExited").map((event) => ({ state: event.state.name, bytes: jsonBytes(event.state.output) })),
    path: stateEvents.filter((event) => event.type === "StateEntered").map((event) => event.state.name),
    children,
  };
}

const PROCESSORS = new WeakMap<MapState, StateMachineDefinition>();
/** A map's item processor as a definition of its own (one object per map). */
function processorOf(map: MapState): StateMachineDefinition {
  const processor = PROCESSORS.get(map) ?? { StartAt: map.ItemProcessor.StartAt, States: map.ItemProcessor.States };
  PROCESSORS.set(map, processor);
  return processor;
}

/** What Step Functions does for one Distributed Map state: read the items, run a child execution per item. */
async function runDistributedMap(map: MapState, stateName: string, mapInput: Json, context: Json, options: RunOptions, children: ExecutionRun[]): Promise<Json> {
  if (!map.ItemReader || !options.readItems) throw new Error(`${stateName}: a Distributed Map needs an ItemReader and the test's readItems`);
  const readerParameters = await evaluateTemplate(map.ItemReader.Parameters, mapInput, context);
  const items = options.readItems(readerParameters, map.ItemReader.ReaderConfig).slice(0, map.ItemReader.ReaderConfig.MaxItems ?? Infinity);
  const label = map.Label ?? stateName;
  const processor = processorOf(map);
  const runs = await inPool(items, map.MaxConcurrency ?? 0, async (item, index) => {
    const childInput = map.ItemSelector ? await evaluateTemplate(map.ItemSelector, mapInput, { ...context, Map: { Item: { Index: index, Value: item } } }) : item;
    return runExecution(processor, childInput, { ...options, name: `${label}:${index}`, stateMachineArn: `${options.stateMachineArn}/${label}` });
  });
  children.push(...runs);
  const failed = runs.filter((run) => run.status !== "SUCCEEDED");
  if ((failed.length * 100) / Math.max(1, runs.length) > (map.ToleratedFailurePercentage ?? 0)) {
    throw taskError(
      "States.ExceedToleratedFailureThreshold",
      `The specified tolerated failure threshold was exceeded: ${failed.length} of ${runs.length} child executions failed (first: ${failed[0].error})`,
    );
  }
  const output = runs.map((run) => run.output);
  if (jsonBytes(output) > PAYLOAD_LIMIT_BYTES) throw taskError("States.DataLimitExceeded", `the map's output is ${jsonBytes(output)} bytes`);
  return output;
}
