import * as fs from "node:fs";
import * as path from "node:path";
import { StateMachineDefinition } from "../../modules/pipeline/asl";
import { REFRESH_POLL_SECONDS } from "../../modules/pipeline/dashboard-refresh";
import { worstCaseHistoryEvents } from "../../modules/pipeline/execution-history";
import { onlyMachine } from "../helpers/analysis-run";
import { ENVIRONMENTS } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

// The figures architecture.md states about the pipeline are the ones the code computes (its per-environment tables
// are generated: environment-tables.test.ts).

const architecture = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "architecture.md"), "utf8");
const thousands = (value: number) => value.toLocaleString("en-US");

describe("the pipeline's figures in architecture.md", () => {
  it.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("%s: the worst-case history rows are the definitions'", (name, env) => {
    const stack = synthesizedStacks(name)[`${name}-pipeline`];
    const prefix = `${env.project}-${env.name}`;
    const analysis: StateMachineDefinition = JSON.parse(onlyMachine(stack, `${prefix}-analysis`).definition);
    const map = analysis.States.ProcessSamples;
    if (map.Type !== "Map") throw new Error("ProcessSamples is a Map");
    const refresh: StateMachineDefinition = JSON.parse(onlyMachine(stack, `${prefix}-dashboard-refresh`).definition);
    const minutes = env.pipeline.dashboardRefreshMinutes;
    const polls = Math.floor(((minutes - 1) * 60) / REFRESH_POLL_SECONDS);
    const loop = Object.fromEntries(["WaitForStatement", "DescribeStatement", "CheckStatement", "CountPoll"].map((state) => [state, polls]));
    expect(architecture).toContain(`| history: the analysis execution | 25,000 events | ${thousands(worstCaseHistoryEvents(analysis))} |`);
    expect(architecture).toContain(`| history: each sample's child execution | 25,000 events | ${thousands(worstCaseHistoryEvents({ StartAt: map.ItemProcessor.StartAt, States: map.ItemProcessor.States }))} |`);
    expect(architecture).toContain(`| history: a dashboard refresh (${minutes} minutes) | 25,000 events | ${thousands(worstCaseHistoryEvents(refresh, loop))} |`);
  });
});
