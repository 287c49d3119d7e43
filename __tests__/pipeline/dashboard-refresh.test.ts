import { REFRESH_POLL_SECONDS } from "../../modules/pipeline/dashboard-refresh";
import { HISTORY_EVENT_LIMIT, worstCaseHistoryEvents } from "../../modules/pipeline/execution-history";
import { StateMachineDefinition } from "../../modules/pipeline/asl";
import { AnalysisHarness, onlyMachine } from "../helpers/analysis-run";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { executionStatusEvent, matchesPattern } from "../helpers/local-aws";
import { runExecution, taskError } from "../helpers/local-step-functions";
import { StackJson, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

// The synthesized `dashboard-refresh` state machine, executed by aws-local-stepfunctions with local stand-ins for
// Step Functions' ListExecutions and the Redshift Data API.

const ANALYSIS_ID = "3f1c9a52-7d4e-4b8a-9c61-2e5f0a7b9d13";

/** A scripted Data API and Step Functions: how many refreshes run, and the statuses DescribeStatement returns. */
function services(script: { readonly running?: number; readonly statuses?: readonly string[]; readonly error?: string }) {
  const calls: Array<{ readonly resource: string; readonly parameters: StackJson }> = [];
  let looks = 0;
  const handler = (resource: string, parameters: StackJson) => {
    calls.push({ resource, parameters });
    switch (resource) {
      case "arn:aws:states:::aws-sdk:sfn:listExecutions":
        return { Executions: Array.from({ length: Math.min(script.running ?? 1, parameters.MaxResults) }, (_, index) => ({ name: `run-${index}` })) };
      case "arn:aws:states:::aws-sdk:redshiftdata:executeStatement":
        return { Id: "statement-1", ClusterIdentifier: parameters.ClusterIdentifier, Database: parameters.Database };
      case "arn:aws:states:::aws-sdk:redshiftdata:describeStatement": {
        const statuses = script.statuses ?? ["FINISHED"];
        const status = statuses[Math.min(looks++, statuses.length - 1)];
        return { Id: parameters.Id, Status: status, ...(status === "FAILED" ? { Error: script.error } : {}) };
      }
      case "arn:aws:states:::aws-sdk:redshiftdata:cancelStatement":
        return { Status: true };
      default:
        throw taskError("States.TaskFailed", `the refresh called ${resource}, which the test does not stand in for`);
    }
  };
  return { calls, handler, looks: () => looks };
}

describe.each(ENVIRONMENT_NAMES)("%s dashboard refresh, executed", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const prefix = `${env.project}-${env.name}`;
  const machine = onlyMachine(stack, `${prefix}-dashboard-refresh`);
  const definition: StateMachineDefinition = JSON.parse(machine.definition);
  const stateMachineArn = `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${prefix}-dashboard-refresh`;
  const maxPolls = Math.floor(((env.pipeline.dashboardRefreshMinutes - 1) * 60) / REFRESH_POLL_SECONDS);
  const run = (script: Parameters<typeof services>[0], executionName = "scheduled-1") => {
    const service = services(script);
    return runExecution(definition, { source: "aws.events" }, { name: executionName, stateMachineArn, handler: service.handler }).then((end) => ({ end, ...service }));
  };

  it("refreshes the views through the Data API and waits for the statement", async () => {
    const { end, calls } = await run({ statuses: ["STARTED", "STARTED", "FINISHED"] });
    expect(end.status).toBe("SUCCEEDED");
    expect(calls.map((call) => call.resource.split(":").pop())).toEqual(["listExecutions", "executeStatement", "describeStatement", "describeStatement", "describeStatement"]);
    expect(calls[0].parameters).toEqual({ StateMachineArn: stateMachineArn, StatusFilter: "RUNNING", MaxResults: 2 });
    expect(calls[1].parameters).toEqual({
      ClusterIdentifier: expect.stringMatching(/analytics|cross-stack/),
      Database: env.data.redshift.databaseName,
      Sql: "CALL dashboard.refresh_views()",
      StatementName: "dashboard-refresh-scheduled-1",
    });
  });

  it("does nothing when another refresh is running (no race with itself)", async () => {
    const { end, calls } = await run({ running: 2 });
    expect([end.status, end.path]).toEqual(["SUCCEEDED", ["CountRunning", "RunAlone", "AlreadyRefreshing"]]);
    expect(calls).toHaveLength(1);
  });

  it("fails with Redshift's message when the statement fails", async () => {
    const { end } = await run({ statuses: ["STARTED", "FAILED"], error: "ERROR: relation \"metrics.sample_metrics\" does not exist" });
    expect([end.status, end.error, end.cause]).toEqual(["FAILED", "DashboardRefreshFailed", "ERROR: relation \"metrics.sample_metrics\" does not exist"]);
  });

  it(`never polls without bound: cancels the statement after ${maxPolls} looks, before the next run is due`, async () => {
    const { end, calls, looks } = await run({ statuses: ["STARTED"] });
    expect([end.status, end.error]).toEqual(["FAILED", "DashboardRefreshTimedOut"]);
    expect(looks()).toBe(maxPolls);
    expect(calls.filter((call) => call.resource.endsWith(":cancelStatement"))).toEqual([{ resource: "arn:aws:states:::aws-sdk:redshiftdata:cancelStatement", parameters: { Id: "statement-1" } }]);
    expect(maxPolls * REFRESH_POLL_SECONDS).toBeLessThan(env.pipeline.dashboardRefreshMinutes * 60);
    const worst = worstCaseHistoryEvents(definition, Object.fromEntries(["WaitForStatement", "DescribeStatement", "CheckStatement", "CountPoll"].map((state) => [state, maxPolls])));
    expect(end.historyEvents).toBeLessThanOrEqual(worst);
    expect(worst).toBeLessThan(HISTORY_EVENT_LIMIT / 10);
    expect(() => worstCaseHistoryEvents(definition)).toThrow("state WaitForStatement is on a loop without a bound: give it one in visits");
  });

  it("cannot fail an analysis: the analysis succeeded and was reported, the failed refresh is not an analysis end", async () => {
    const harness = new AnalysisHarness(env, stack);
    const analysis = await harness.run(harness.writeAnalysis(ANALYSIS_ID, "acmelab01", [{ sampleId: "s1", files: 2 }]), { name: ANALYSIS_ID });
    expect(analysis.run.status).toBe("SUCCEEDED");
    expect(analysis.run.path).not.toContain("RefreshDashboard");

    const refresh = await run({ statuses: ["FAILED"], error: "ERROR: could not refresh" });
    expect(refresh.end.status).toBe("FAILED");
    const rule = Object.values(resourcesOf(stack, "aws_cloudwatch_event_rule")).find((candidate) => candidate.name === `${prefix}-analysis-ended`)!;
    const pattern = JSON.parse(rule.event_pattern);
    const analysisPattern = { ...pattern, detail: { ...pattern.detail, stateMachineArn: [harness.stateMachineArn] } };
    expect(matchesPattern(analysisPattern, analysis.event)).toBe(true);
    expect(matchesPattern(analysisPattern, executionStatusEvent(refresh.end, { stateMachineArn, region: env.region, account: env.awsAccountId }))).toBe(false);
  });

  it(`is started every ${env.pipeline.dashboardRefreshMinutes} minutes by a schedule whose role may start it and nothing else`, () => {
    const [ruleId, rule] = Object.entries(resourcesOf(stack, "aws_cloudwatch_event_rule")).find(([, candidate]) => candidate.name === `${prefix}-dashboard-refresh`)!;
    expect(rule.schedule_expression).toBe(`rate(${env.pipeline.dashboardRefreshMinutes} minutes)`);
    const [machineId] = Object.entries(resourcesOf(stack, "aws_sfn_state_machine")).find(([, candidate]) => candidate.name === `${prefix}-dashboard-refresh`)!;
    const target = Object.values(resourcesOf(stack, "aws_cloudwatch_event_target")).find((candidate) => candidate.rule === `${ref("aws_cloudwatch_event_rule", ruleId)}name}`)!;
    expect(target.arn).toBe(`${ref("aws_sfn_state_machine", machineId)}arn}`);
    const [roleId, role] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, candidate]) => candidate.name === `${prefix}-dashboard-refresh-schedule`)!;
    expect(target.role_arn).toBe(`${ref("aws_iam_role", roleId)}arn}`);
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"]).toBe(`arn:aws:events:${env.region}:${env.awsAccountId}:rule/${prefix}-dashboard-refresh`);
    const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((candidate) => candidate.role === `${ref("aws_iam_role", roleId)}name}`)!;
    expect(JSON.parse(policy.policy).Statement).toEqual([{ Sid: "StartRefresh", Effect: "Allow", Action: "states:StartExecution", Resource: `${ref("aws_sfn_state_machine", machineId)}arn}` }]);
  });
});
