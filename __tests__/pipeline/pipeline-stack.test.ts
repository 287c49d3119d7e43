import { STUCK_RUNNABLE_REASONS } from "../../modules/pipeline/job-queues";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

/** Statements of the inline policy of the role whose name is `roleName`. */
function roleStatements(stack: StackJson, roleName: string): StackJson[] {
  const [roleId] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, role]) => role.name === roleName)!;
  const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((p) => p.role === `${ref("aws_iam_role", roleId)}name}`)!;
  return JSON.parse(policy.policy).Statement;
}

it("logs no execution data in a production environment", () => {
  const production = ENVIRONMENT_NAMES.map(environment).filter((env) => env.tier === "production");
  expect(production.length).toBeGreaterThan(0);
  for (const env of production) expect([env.name, env.pipeline.executionDataInLogs]).toEqual([env.name, false]);
});

describe.each(ENVIRONMENT_NAMES)("%s-pipeline", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const prefix = `proteomics-${name}`;
  const environments = Object.entries(resourcesOf(stack, "aws_batch_compute_environment"));
  const ce = (kind: string) => environments.find(([, e]) => e.name_prefix === `${prefix}-batch-${kind}-`)!;
  const ceArn = (kind: string) => `${ref("aws_batch_compute_environment", ce(kind)[0])}arn}`;
  const queues = Object.values(resourcesOf(stack, "aws_batch_job_queue"));
  const queue = (queueName: string) => queues.find((q) => q.name === `${prefix}-${queueName}`)!;
  const jobs = Object.values(resourcesOf(stack, "aws_batch_job_definition"));
  const job = (step: string) => jobs.find((j) => j.name === `${prefix}-${step}`)!;

  describe("compute environments", () => {
    it("are a Spot and an on-demand managed environment on ECS_AL2023, scaling from zero to the configured vCPUs", () => {
      expect(ce("spot")[1].compute_resources).toMatchObject({
        type: "SPOT",
        allocation_strategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
        min_vcpus: 0,
        max_vcpus: env.pipeline.spotMaxVcpus,
        instance_type: env.pipeline.instanceTypes,
        ec2_configuration: [{ image_type: "ECS_AL2023" }],
      });
      expect(ce("ondemand")[1].compute_resources).toMatchObject({
        type: "EC2",
        allocation_strategy: "BEST_FIT_PROGRESSIVE",
        min_vcpus: 0,
        max_vcpus: env.pipeline.onDemandMaxVcpus,
      });
    });

    it("are replaced create-before-destroy under name prefixes, so queues never point at a deleted one", () => {
      for (const [, environment] of environments) {
        expect(environment).toMatchObject({ type: "MANAGED", lifecycle: { create_before_destroy: true } });
        expect(environment.name).toBeUndefined();
      }
    });

    it("run in the private subnets with the launch template and an egress-only security group", () => {
      const [templateId, template] = Object.entries(resourcesOf(stack, "aws_launch_template"))[0];
      for (const [, environment] of environments) {
        expect(environment.compute_resources.launch_template.launch_template_id).toBe(`${ref("aws_launch_template", templateId)}id}`);
        for (const subnet of environment.compute_resources.subnets) expect(subnet).toMatch(/cross-stack-output-aws_subnetnetwork_private-/);
      }
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(template.block_device_mappings[0].ebs).toMatchObject({ volume_size: env.pipeline.instanceVolumeGiB, volume_type: "gp3", encrypted: "true" });
      const [groupId] = Object.keys(resourcesOf(stack, "aws_security_group"));
      const group = `${ref("aws_security_group", groupId)}id}`;
      expect(Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === group)).toEqual([]);
      const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter((rule) => rule.security_group_id === group);
      // The interface endpoints, S3's prefix list and the metrics proxy: no CIDR at all, so no path to the internet.
      expect(egress.map((rule) => [rule.from_port, rule.cidr_ipv4 ?? null, rule.prefix_list_id ? "prefix list" : rule.referenced_security_group_id ? "group" : null])).toEqual(
        expect.arrayContaining([
          [443, null, "group"],
          [443, null, "prefix list"],
          [5432, null, "group"],
        ]),
      );
      expect(egress).toHaveLength(3);
      const endpoints = egress.find((rule) => rule.from_port === 443 && rule.referenced_security_group_id)!;
      expect(endpoints.referenced_security_group_id).toMatch(/cross-stack-output-aws_security_groupnetwork_endpoints_security-group/);
    });

    it("registers the Batch instances with the metrics proxy", () => {
      const [groupId] = Object.keys(resourcesOf(stack, "aws_security_group"));
      expect(Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"))).toContainEqual(
        expect.objectContaining({ referenced_security_group_id: `${ref("aws_security_group", groupId)}id}`, from_port: 5432, to_port: 5432 }),
      );
    });
  });

  describe("queues", () => {
    it("put interactive work first on on-demand and bulk work first on Spot", () => {
      expect(queue("interactive")).toMatchObject({ priority: 100, state: "ENABLED" });
      expect(queue("interactive").compute_environment_order).toEqual([
        { order: 1, compute_environment: ceArn("ondemand") },
        { order: 2, compute_environment: ceArn("spot") },
      ]);
      expect(queue("bulk")).toMatchObject({ priority: 10, state: "ENABLED" });
      expect(queue("bulk").compute_environment_order).toEqual([
        { order: 1, compute_environment: ceArn("spot") },
        { order: 2, compute_environment: ceArn("ondemand") },
      ]);
      expect(queue("interactive").priority).toBeGreaterThan(queue("bulk").priority);
    });

    it("schedule fair-share between tenants with the configured decay and reservation", () => {
      const [policyId, policy] = Object.entries(resourcesOf(stack, "aws_batch_scheduling_policy"))[0];
      expect(policy.fair_share_policy).toEqual({
        share_decay_seconds: env.pipeline.fairShare.shareDecaySeconds,
        compute_reservation: env.pipeline.fairShare.computeReservation,
      });
      for (const q of queues) expect(q.scheduling_policy_arn).toBe(`${ref("aws_batch_scheduling_policy", policyId)}arn}`);
    });

    it("cancel jobs stuck RUNNABLE after the configured time", () => {
      for (const q of queues) {
        expect(q.job_state_time_limit_action).toEqual(
          STUCK_RUNNABLE_REASONS.map((reason) => ({ action: "CANCEL", state: "RUNNABLE", reason, max_time_seconds: env.pipeline.runnableTimeoutSeconds })),
        );
      }
    });
  });

  describe("job definitions", () => {
    const steps = { identify: "identify", aggregate: "aggregate", "publish-metrics": "publishMetrics" } as const;

    it.each(Object.entries(steps))("%s: the analysis image at the configured tag, sized, time-limited, never privileged", (step, key) => {
      const definition = job(step);
      const container = JSON.parse(definition.container_properties);
      const size = env.pipeline.jobs[key];
      expect(container.image).toMatch(new RegExp(`repository-analysis.+repository_url}:${env.pipeline.analysisImageTag.replace(/\./g, "\\.")}$`));
      expect(container.command).toEqual([step]);
      expect(container.resourceRequirements).toEqual([
        { type: "VCPU", value: String(size.vcpus) },
        { type: "MEMORY", value: String(size.memoryMiB) },
      ]);
      expect(container).toMatchObject({ privileged: false, readonlyRootFilesystem: true });
      // Never root: a file that exploits the parser gets an unprivileged user (uid and gid 10001, not 0).
      expect(container.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      const [groupId] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(([, group]) => group.name === `/${prefix}/pipeline/jobs`)!;
      expect(container.logConfiguration).toEqual({
        logDriver: "awslogs",
        options: { "awslogs-group": `${ref("aws_cloudwatch_log_group", groupId)}name}`, "awslogs-region": env.region, "awslogs-stream-prefix": step },
      });
      expect(definition.timeout).toEqual({ attempt_duration_seconds: size.timeoutSeconds });
      expect(definition.platform_capabilities).toEqual(["EC2"]);
    });

    it("retry only what Spot reclaimed, as many times as configured", () => {
      for (const [step, key] of Object.entries(steps)) {
        expect(job(step).retry_strategy).toEqual({
          attempts: env.pipeline.jobs[key].attempts,
          evaluate_on_exit: [
            { on_status_reason: "Host EC2*", action: "RETRY" },
            { on_reason: "*", action: "EXIT" },
          ],
        });
      }
    });

    it("run later steps first within a tenant's share", () => {
      expect([job("identify"), job("aggregate"), job("publish-metrics")].map((j) => j.scheduling_priority)).toEqual([1, 2, 3]);
    });

    it("give publish-metrics the proxy endpoint and the IAM database user, with TLS verified", () => {
      const environmentOf = (step: string) =>
        Object.fromEntries(JSON.parse(job(step).container_properties).environment.map((variable: StackJson) => [variable.name, variable.value]));
      expect(environmentOf("publish-metrics")).toMatchObject({ DB_PORT: "5432", DB_NAME: "metrics", DB_USER: "metrics_writer", DB_SSLMODE: "verify-full" });
      expect(environmentOf("publish-metrics").DB_HOST).toMatch(/metrics-proxy.+endpoint}$/);
      expect(environmentOf("identify").DB_HOST).toBeUndefined();
    });
  });

  describe("job roles", () => {
    const actions = (role: string) => roleStatements(stack, role).flatMap((statement) => [statement.Action].flat());
    const resources = (role: string) => roleStatements(stack, role).flatMap((statement) => [statement.Resource].flat());
    const steps = ["identify", "aggregate", "publish-metrics"];

    it("reach customer data only through their tenant sessions, whose role each job definition names (TENANT_ROLE_ARN)", () => {
      for (const step of steps) {
        expect([step, actions(`${prefix}-${step}-job`).filter((action) => action.startsWith("s3:") || action.startsWith("kms:"))]).toEqual([step, []]);
        const [tenantRoleId] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, role]) => role.name === `${prefix}-${step}-tenant`)!;
        expect(resources(`${prefix}-${step}-job`)).toContain(`${ref("aws_iam_role", tenantRoleId)}arn}`);
        const definition = Object.values(resourcesOf(stack, "aws_batch_job_definition")).find((candidate) => candidate.name === `${prefix}-${step}`)!;
        expect(JSON.parse(definition.container_properties).environment).toContainEqual({ name: "TENANT_ROLE_ARN", value: `${ref("aws_iam_role", tenantRoleId)}arn}` });
      }
    });

    it("let identify's tenant sessions read uploads and write only its outputs under the analysis prefix", () => {
      const role = `${prefix}-identify-tenant`;
      expect(actions(role)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject"]));
      expect(actions(role)).not.toContain("s3:DeleteObject");
      expect(resources(role)).toContainEqual(expect.stringMatching(/work_bucket.+arn}\/analyses\/\$\$\{aws:PrincipalTag\/tenant}\/\*$/));
      expect(resources(role).filter((r) => r.includes("results_bucket"))).toEqual([]);
    });

    it("let aggregate's read the work and write results, publish-metrics' read results, and publish-metrics connect as metrics_writer", () => {
      expect(resources(`${prefix}-aggregate-tenant`)).toContainEqual(expect.stringMatching(/results_bucket.+arn}\/analyses\/\$\$\{aws:PrincipalTag\/tenant}\/\*$/));
      expect(resources(`${prefix}-aggregate-tenant`).filter((r) => r.includes("uploads_bucket"))).toEqual([]);
      expect(actions(`${prefix}-publish-metrics-tenant`).filter((action) => action.startsWith("s3:Put"))).toEqual([]);
      expect(actions(`${prefix}-publish-metrics-job`)).toContain("rds-db:connect");
      expect(resources(`${prefix}-publish-metrics-job`)).toContainEqual(expect.stringMatching(/dbuser:.+\/metrics_writer$/));
      expect(actions(`${prefix}-aggregate-job`)).not.toContain("rds-db:connect");
    });
  });

  describe("state machines", () => {
    const statements = roleStatements(stack, `${prefix}-analysis-sfn`);
    const statement = (sid: string) => statements.find((s) => s.Sid === sid)!;

    it.each(["analysis", "dashboard-refresh"])("%s is STANDARD, logs ALL events with execution data to its encrypted log group, traces, and waits for its role's policy", (purpose) => {
      const machine = Object.values(resourcesOf(stack, "aws_sfn_state_machine")).find((m) => m.name === `${prefix}-${purpose}`)!;
      const [groupId, group] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(([, g]) => g.name === `/aws/vendedlogs/states/${prefix}-${purpose}`)!;
      expect(machine).toMatchObject({
        type: "STANDARD",
        // Each state's input and output where the environment allows it; never in production (tenants' ids, LGPD).
        logging_configuration: { level: "ALL", include_execution_data: env.pipeline.executionDataInLogs, log_destination: `${ref("aws_cloudwatch_log_group", groupId)}arn}:*` },
        tracing_configuration: { enabled: true },
      });
      expect(group).toMatchObject({ retention_in_days: env.pipeline.logRetentionDays, kms_key_id: expect.stringContaining("keys_logs_key") });
      // Step Functions checks the log delivery permissions when it creates the state machine.
      const [roleId] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) => r.name === `${prefix}-${purpose}-sfn`)!;
      const [policyId] = Object.entries(resourcesOf(stack, "aws_iam_role_policy")).find(([, p]) => p.role === `${ref("aws_iam_role", roleId)}name}`)!;
      expect(machine.depends_on).toContain(`aws_iam_role_policy.${policyId}`);
    });

    it("lets the analysis submit jobs only to its queues and job definitions", () => {
      const submit = statement("SubmitAnalysisJobs");
      expect(submit.Action).toBe("batch:SubmitJob");
      const [bulk, interactive, ...definitions] = submit.Resource;
      expect([bulk, interactive]).toEqual(queues.map(() => expect.stringMatching(/^\$\{aws_batch_job_queue\..+\.arn}$/)));
      expect(definitions).toHaveLength(3);
      for (const definition of definitions) expect(definition).toMatch(/^\$\{aws_batch_job_definition\..+\.arn_prefix}:\*$/);
      expect(statement("ManagedRuleForBatchJobs").Resource).toBe(`arn:aws:events:${env.region}:${env.awsAccountId}:rule/StepFunctionsGetEventsForBatchJobsRule`);
    });

    it("lets the analysis run its Distributed Map (child executions of itself), read the manifests and invoke its validation function", () => {
      const executions = `arn:aws:states:${env.region}:${env.awsAccountId}:execution:${prefix}-analysis`;
      expect(statement("StartMapRunChildren").Resource).toBe(`arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${prefix}-analysis`);
      expect(statement("FollowMapRunChildren").Resource).toEqual([`${executions}:*`, `${executions}/samples:*`]);
      const [functionId] = Object.keys(resourcesOf(stack, "aws_lambda_function"));
      expect(statements).toContainEqual({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: `${ref("aws_lambda_function", functionId)}arn}` });
      const reads = statements.filter((s) => [s.Action].flat().includes("s3:GetObject"));
      expect(reads.map((s) => s.Resource)).toEqual([expect.stringMatching(/uploads_bucket.+arn}\/manifests\/\*$/)]);
      expect(statements.flatMap((s) => [s.Action].flat()).filter((action) => action.startsWith("redshift") || action === "events:PutEvents")).toEqual([]);
    });

    it("is trusted by Step Functions for this state machine only", () => {
      const [, role] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) => r.name === `${prefix}-analysis-sfn`)!;
      expect(JSON.parse(role.assume_role_policy).Statement[0].Condition).toEqual({
        StringEquals: { "aws:SourceAccount": env.awsAccountId },
        ArnLike: { "aws:SourceArn": `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${prefix}-analysis` },
      });
    });

    it("let the dashboard refresh run Data API statements on this warehouse only", () => {
      const refresh = roleStatements(stack, `${prefix}-dashboard-refresh-sfn`);
      expect(refresh.find((s) => s.Sid === "RunStatementsOnWarehouse")!.Resource).toBe(`arn:aws:redshift:${env.region}:${env.awsAccountId}:cluster:${prefix}-analytics`);
      expect(refresh).toContainEqual({ Effect: "Allow", Action: "states:ListExecutions", Resource: `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${prefix}-dashboard-refresh` });
      // Step Functions may call DescribeStatement in another session of the role than ExecuteStatement: any session of
      // this role, and only of this role, may follow the statements.
      const [roleId] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) => r.name === `${prefix}-dashboard-refresh-sfn`)!;
      expect(refresh.find((s) => s.Sid === "FollowOwnStatements")!.Condition).toEqual({
        StringLike: { "redshift-data:statement-owner-iam-userid": `${ref("aws_iam_role", roleId)}unique_id}:*` },
      });
    });
  });

  describe("input validation function", () => {
    const fn = onlyResource(stack, "aws_lambda_function");
    const statements = roleStatements(stack, `${prefix}-validate-analysis-input`);

    it("runs the repository's code, configured with the contract's limits and the uploads bucket, logging JSON to its encrypted group", () => {
      const [groupId, group] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(([, g]) => g.name === `/aws/lambda/${prefix}-validate-analysis-input`)!;
      expect(fn).toMatchObject({
        function_name: `${prefix}-validate-analysis-input`,
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        handler: "index.handler",
        filename: expect.stringMatching(/^assets\/.+\/validate-analysis-input\.zip$/),
        logging_config: { log_format: "JSON", log_group: `${ref("aws_cloudwatch_log_group", groupId)}name}` },
        tracing_config: { mode: "Active" },
      });
      expect(fn.environment.variables).toEqual({
        MANIFEST_BUCKET: expect.stringMatching(/uploads_bucket.+bucket}$/),
        MAX_SAMPLES: "1000",
        MAX_FILES_PER_SAMPLE: "10000",
        MAX_MANIFEST_BYTES: String(256 * 1024),
      });
      expect(group).toMatchObject({ retention_in_days: env.pipeline.logRetentionDays, kms_key_id: expect.stringContaining("keys_logs_key") });
    });

    it("may read manifests and write its own logs, nothing else", () => {
      expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(
        ["kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "xray:PutTelemetryRecords", "xray:PutTraceSegments"].sort(),
      );
      expect(statements.find((s) => [s.Action].flat().includes("s3:GetObject"))!.Resource).toMatch(/uploads_bucket.+arn}\/manifests\/\*$/);
    });
  });

  describe("analysis status", () => {
    const queuesById = Object.entries(resourcesOf(stack, "aws_sqs_queue"));
    const [statusId, status] = queuesById.find(([, q]) => q.name === `${prefix}-analysis-status`)!;
    const [dlqId] = queuesById.find(([, q]) => q.name === `${prefix}-analysis-status-dlq`)!;

    it("routes every end of the analysis state machine (not its children, not the refresh) from the default bus to the status queue", () => {
      const [ruleId, rule] = Object.entries(resourcesOf(stack, "aws_cloudwatch_event_rule")).find(([, r]) => r.name === `${prefix}-analysis-ended`)!;
      const [machineId] = Object.entries(resourcesOf(stack, "aws_sfn_state_machine")).find(([, m]) => m.name === `${prefix}-analysis`)!;
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { stateMachineArn: [`${ref("aws_sfn_state_machine", machineId)}arn}`], status: ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] },
      });
      expect(rule.event_bus_name).toBeUndefined();
      const target = Object.values(resourcesOf(stack, "aws_cloudwatch_event_target")).find((t) => t.rule === `${ref("aws_cloudwatch_event_rule", ruleId)}name}`)!;
      expect(target.arn).toBe(`${ref("aws_sqs_queue", statusId)}arn}`);
      expect(resourcesOf(stack, "aws_cloudwatch_event_bus")).toEqual({});
    });

    it("keeps the status queue encrypted, with a dead-letter queue after the configured receives", () => {
      expect(status.kms_master_key_id).toMatch(/keys_messaging_key/);
      expect(JSON.parse(status.redrive_policy)).toEqual({ deadLetterTargetArn: `${ref("aws_sqs_queue", dlqId)}arn}`, maxReceiveCount: env.pipeline.statusMaxReceiveCount });
    });

    it("lets the API start, follow and stop analyses, read their samples' map runs, and consume their ends, through a policy on its role", () => {
      const grants = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((p) => p.name === "analysis-pipeline")!;
      expect(grants.role).toMatch(new RegExp(`cross-stack-reference-input-${name}-cluster.+role-api.+name}$`));
      const apiStatements = JSON.parse(grants.policy).Statement;
      const executions = `arn:aws:states:${env.region}:${env.awsAccountId}:execution:${prefix}-analysis`;
      expect(apiStatements.slice(0, 5)).toEqual([
        { Effect: "Allow", Action: "states:StartExecution", Resource: `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${prefix}-analysis` },
        { Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: `${executions}:*` },
        { Effect: "Allow", Action: "states:ListMapRuns", Resource: `${executions}:*` },
        { Effect: "Allow", Action: ["states:DescribeMapRun", "states:ListExecutions"], Resource: [`arn:aws:states:${env.region}:${env.awsAccountId}:mapRun:${prefix}-analysis/samples:*`] },
        { Effect: "Allow", Action: "states:DescribeExecution", Resource: [`${executions}/samples:*`] },
      ]);
      expect(apiStatements.slice(5).flatMap((s: StackJson) => [s.Action].flat())).toEqual([
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "kms:Decrypt",
      ]);
    });
  });
});
