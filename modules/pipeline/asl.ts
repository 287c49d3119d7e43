/**
 * Amazon States Language, typed: the subset the project's state machines use. A definition is built as these
 * objects and serialized with JSON.stringify; the tests validate it with asl-validator.
 */

/** A retrier: which errors to retry and how to back off. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

/** A catcher: which errors to handle, where the error goes in the state's input, and the next state. */
export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath?: string | null;
  readonly Next: string;
}

/** A Choice rule (the operators used here). */
export type ChoiceRule =
  | {
      readonly Variable: string;
      readonly IsPresent?: boolean;
      readonly IsString?: boolean;
      readonly IsNumeric?: boolean;
      readonly BooleanEquals?: boolean;
      readonly StringEquals?: string;
      readonly NumericEquals?: number;
      readonly NumericGreaterThan?: number;
      readonly NumericGreaterThanEquals?: number;
      readonly NumericLessThan?: number;
    }
  | { readonly And: readonly ChoiceRule[] }
  | { readonly Or: readonly ChoiceRule[] }
  | { readonly Not: ChoiceRule };

/** Where a state goes next: to another state, or it ends the machine. */
type Transition = { readonly Next: string; readonly End?: never } | { readonly End: true; readonly Next?: never };

interface Common {
  readonly Comment?: string;
}

export type TaskState = Common &
  Transition & {
    readonly Type: "Task";
    readonly Resource: string;
    readonly Parameters?: Readonly<Record<string, unknown>>;
    readonly ResultSelector?: Readonly<Record<string, unknown>>;
    readonly ResultPath?: string | null;
    readonly OutputPath?: string | null;
    readonly TimeoutSeconds?: number;
    readonly Retry?: readonly Retrier[];
    readonly Catch?: readonly Catcher[];
  };

export type PassState = Common &
  Transition & {
    readonly Type: "Pass";
    readonly Parameters?: Readonly<Record<string, unknown>>;
    readonly Result?: unknown;
    readonly InputPath?: string;
    readonly ResultPath?: string | null;
    readonly OutputPath?: string | null;
  };

export type WaitState = Common & Transition & { readonly Type: "Wait"; readonly Seconds: number };

export interface ChoiceState extends Common {
  readonly Type: "Choice";
  readonly Choices: readonly (ChoiceRule & { readonly Next: string })[];
  readonly Default: string;
}

/** Where a Distributed Map reads its items: an S3 object (`arn:aws:states:::s3:getObject`). */
export interface ItemReader {
  readonly Resource: string;
  readonly ReaderConfig: { readonly InputType: "JSONL" | "JSON" | "CSV"; readonly MaxItems?: number };
  readonly Parameters: Readonly<Record<string, unknown>>;
}

/** How a Map runs its items: in the execution (INLINE), or as child executions (DISTRIBUTED). */
export type ProcessorConfig = { readonly Mode: "INLINE" } | { readonly Mode: "DISTRIBUTED"; readonly ExecutionType: "STANDARD" | "EXPRESS" };

export type MapState = Common &
  Transition & {
    readonly Type: "Map";
    /** Items from the state's input (INLINE), or from `ItemReader` (DISTRIBUTED). */
    readonly ItemsPath?: string;
    readonly ItemReader?: ItemReader;
    readonly ItemSelector?: Readonly<Record<string, unknown>>;
    readonly MaxConcurrency?: number;
    /** Distributed only: the map run's label, and how many child failures it tolerates. */
    readonly Label?: string;
    readonly ToleratedFailurePercentage?: number;
    readonly ItemProcessor: { readonly ProcessorConfig: ProcessorConfig; readonly StartAt: string; readonly States: States };
    readonly ResultPath?: string | null;
    readonly Retry?: readonly Retrier[];
    readonly Catch?: readonly Catcher[];
  };

export interface SucceedState extends Common {
  readonly Type: "Succeed";
}

export interface FailState extends Common {
  readonly Type: "Fail";
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export type State = TaskState | PassState | WaitState | ChoiceState | MapState | SucceedState | FailState;

/** The states of a machine or of a Map's processor, by name. */
export type States = Readonly<Record<string, State>>;

/** A complete state machine definition. */
export interface StateMachineDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: States;
}
