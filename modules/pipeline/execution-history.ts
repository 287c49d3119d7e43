import { State, StateMachineDefinition, States } from "./asl";

/**
 * Worst-case size of a Standard execution's history, from its definition. Step Functions keeps at most 25,000
 * events per execution and fails it beyond; a definition whose longest path (every retrier exhausted, every loop at
 * its bound) stays far below cannot hit the limit. Event counts per state follow the HistoryEvent types of the Step
 * Functions API reference (Standard workflows):
 * - the execution: ExecutionStarted and its end (Succeeded, Failed, TimedOut or Aborted);
 * - Pass, Choice, Wait, Succeed: <Type>StateEntered and <Type>StateExited; Fail: FailStateEntered (its end is the
 *   execution's);
 * - Task: TaskStateEntered and TaskStateExited, and per attempt TaskScheduled, TaskStarted and TaskSucceeded or
 *   TaskFailed, plus TaskSubmitted for `.sync` integrations;
 * - Distributed Map: MapStateEntered, MapStateStarted, MapRunStarted, MapRunSucceeded (or Failed), MapStateSucceeded
 *   and MapStateExited, whatever the number of items: each item runs as a child execution with its own history.
 * An inline Map adds every iteration's events to the execution, so it is refused here: its size depends on the data.
 */

/** Step Functions' hard limit on the events of one execution's history. */
export const HISTORY_EVENT_LIMIT = 25000;

const EXECUTION_EVENTS = 2;
const STATE_EVENTS = 2;
const ATTEMPT_EVENTS = 3;
const DISTRIBUTED_MAP_EVENTS = 6;

/** The events one visit of `state` adds, at its worst (every retry used). */
export function stateHistoryEvents(state: State): number {
  switch (state.Type) {
    case "Task": {
      const attempts = 1 + (state.Retry ?? []).reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? 3), 0);
      const perAttempt = ATTEMPT_EVENTS + (state.Resource.endsWith(".sync") ? 1 : 0);
      return STATE_EVENTS + attempts * perAttempt;
    }
    case "Map":
      if (state.ItemProcessor.ProcessorConfig.Mode !== "DISTRIBUTED") {
        throw new Error("an inline Map's history grows with its items: use a Distributed Map, whose items run as child executions");
      }
      return DISTRIBUTED_MAP_EVENTS;
    case "Fail":
      return 1;
    default:
      return STATE_EVENTS;
  }
}

/** The states a state may go to next (Next, Default, Choices, Catch). */
function successors(state: State): string[] {
  const next: Array<string | undefined> = [];
  if ("Next" in state) next.push(state.Next);
  if (state.Type === "Choice") next.push(state.Default, ...state.Choices.map((choice) => choice.Next));
  if ("Catch" in state) next.push(...(state.Catch ?? []).map((catcher) => catcher.Next));
  return [...new Set(next.filter((name): name is string => Boolean(name)))];
}

/**
 * The most history events one execution of `definition` can write. `visits` bounds the loops: how many times each
 * state of a loop may run in one execution, as the definition's own counter guarantees (every other state runs at
 * most once); a loop without a bound throws.
 */
export function worstCaseHistoryEvents(definition: StateMachineDefinition, visits: Readonly<Record<string, number>> = {}): number {
  const states: States = definition.States;
  const longest = (name: string, counts: Map<string, number>): number => {
    const state = states[name];
    if (!state) throw new Error(`state ${name} does not exist`);
    const count = (counts.get(name) ?? 0) + 1;
    if (visits[name] === undefined && count > 1) throw new Error(`state ${name} is on a loop without a bound: give it one in visits`);
    // A path past a loop's bound cannot happen (the definition's own counter leaves the loop first).
    if (count > (visits[name] ?? 1)) return -Infinity;
    counts.set(name, count);
    const next = successors(state).map((successor) => longest(successor, counts));
    counts.set(name, count - 1);
    return stateHistoryEvents(state) + (next.length ? Math.max(...next) : 0);
  };
  return EXECUTION_EVENTS + longest(definition.StartAt, new Map());
}
