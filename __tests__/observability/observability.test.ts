import { APP_NAMESPACE } from "../../stacks/naming";
import { databaseAuthenticationSignal, execSignal, rbacChangeSignal, trailSignals } from "../../modules/security/security-alarms";
import { CLOUDWATCH_AGENT, CONTAINER_INSIGHTS_LOG_GROUPS } from "../../modules/cluster/container-insights";
import { SYSTEM_NODE_LABEL } from "../../modules/cluster/system-node-group";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { decision, withValues } from "../helpers/iam-simulation";
import { StackJson, onlyResource, referenceTo as ref, resolveCrossStack, resourcesOf, synthesizedStacks } from "../helpers/synth";

const GIB = 2 ** 30;
const MIB = 2 ** 20;

describe.each(ENVIRONMENT_NAMES)("%s observability", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const stack = (layer: string) => stacks[`${name}-${layer}`];
  const prefix = `proteomics-${name}`;
  const { alarms: thresholds } = env.observability;
  const network = stack("network");
  const [topicId, topic] = Object.entries(resourcesOf(network, "aws_sns_topic"))[0];
  const topicArn = `${ref("aws_sns_topic", topicId)}arn}`;
  /** Every alarm of the environment, by name without the prefix, with its stack. */
  const alarms = Object.fromEntries(
    Object.entries(stacks).flatMap(([stackName, json]) =>
      Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((alarm) => [alarm.alarm_name.slice(prefix.length + 1), { ...alarm, stackName }]),
    ),
  ) as Record<string, StackJson>;
  const natZones = env.network.natGateways === "perAz" ? env.network.availabilityZones : env.network.availabilityZones.slice(0, 1);

  describe("alerts topic", () => {
    it("is encrypted with its own rotating key, which CloudWatch (this account) and EventBridge may use for this topic only", () => {
      expect(topic.name).toBe(`${prefix}-alerts`);
      const [keyId, key] = Object.entries(resourcesOf(network, "aws_kms_key")).find(([id]) => id.startsWith("alerts_key"))!;
      expect(topic.kms_master_key_id).toBe(`${ref("aws_kms_key", keyId)}arn}`);
      expect(key.enable_key_rotation).toBe(true);
      const statements = JSON.parse(key.policy).Statement;
      const thisTopic = { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws:sns:${env.region}:${env.awsAccountId}:${prefix}-alerts` };
      expect(statements.find((s: StackJson) => s.Sid === "AlarmsPublishEncrypted")).toEqual({
        Sid: "AlarmsPublishEncrypted",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": env.awsAccountId, ...thisTopic } },
      });
      // AWS supports no aws:SourceAccount/aws:SourceArn here for EventBridge deliveries: a condition on them would drop
      // them all. The encryption context SNS adds still confines the key to this topic.
      expect(statements.find((s: StackJson) => s.Sid === "RulesPublishEncrypted").Condition).toEqual({ StringEquals: thisTopic });
    });

    it("accepts alarms and EventBridge rules of this environment and account only, and TLS only", () => {
      const policy = JSON.parse(onlyResource(network, "aws_sns_topic_policy").policy).Statement;
      expect(policy.map((s: StackJson) => s.Sid)).toEqual(["AccountManagesTopic", "EnvironmentAlarmsPublish", "EnvironmentRulesPublish", "DenyInsecureTransport"]);
      expect(policy[1].Condition).toEqual({
        StringEquals: { "aws:SourceAccount": env.awsAccountId },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${env.region}:${env.awsAccountId}:alarm:${prefix}-*` },
      });
      expect(policy[3]).toMatchObject({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    describe("lets publish (evaluated by the IAM simulator)", () => {
      const topicResourceArn = `arn:aws:sns:${env.region}:${env.awsAccountId}:${prefix}-alerts`;
      const policy = withValues(onlyResource(network, "aws_sns_topic_policy").policy, { [`aws_sns_topic.${topicId}.arn`]: topicResourceArn });
      const publish = (principal: string, source: { account: string; arn: string }) =>
        decision(
          { principal, action: "sns:Publish", resource: topicResourceArn, resourceAccount: env.awsAccountId, context: { "aws:SourceAccount": source.account, "aws:SourceArn": source.arn } },
          { resource: policy },
        );
      const rule = (account: string, ruleName: string) => ({ account, arn: `arn:aws:events:${env.region}:${account}:rule/${ruleName}` });

      it("this environment's rules and alarms", async () => {
        expect(await publish("events.amazonaws.com", rule(env.awsAccountId, `${prefix}-batch-job-failed`))).toBe("Allowed");
        expect(await publish("cloudwatch.amazonaws.com", { account: env.awsAccountId, arn: `arn:aws:cloudwatch:${env.region}:${env.awsAccountId}:alarm:${prefix}-warehouse-disk` })).toBe("Allowed");
      });

      it("no rule of another environment or account", async () => {
        expect(await publish("events.amazonaws.com", rule(env.awsAccountId, "someone-elses-rule"))).toBe("ImplicitlyDenied");
        expect(await publish("events.amazonaws.com", rule("999988887777", `${prefix}-batch-job-failed`))).toBe("ImplicitlyDenied");
      });
    });

    it("mails the configured people", () => {
      const subscriptions = Object.values(resourcesOf(network, "aws_sns_topic_subscription"));
      expect(subscriptions.map((s) => [s.protocol, s.endpoint, s.topic_arn])).toEqual(env.observability.alertEmails.map((email) => ["email", email, topicArn]));
    });
  });

  describe("alarms", () => {
    it("exist for every watched resource, named after the environment", () => {
      expect(Object.keys(alarms).sort()).toEqual(
        [
          ...natZones.map((zone) => `nat-${zone}-port-allocation`),
          "metrics-db-cpu",
          "metrics-db-free-storage",
          "metrics-db-connections",
          "metrics-db-replication-slot-lag",
          "metrics-proxy-availability",
          "warehouse-health",
          "warehouse-disk",
          "zero-etl-lag",
          "zero-etl-failed-tables",
          "analyses-failed",
          "analyses-timed-out",
          "analyses-throttled",
          "analysis-status-dead-letters",
          "batch-job-failed-delivery",
          "upload-infected-delivery",
          "analysis-status-delivery",
          "dashboard-refresh-failed",
          "dashboard-refresh-timed-out",
          "dashboard-refresh-schedule",
          "eks-failed-nodes",
          // The security alarms (modules/security/security-alarms.ts): the trail's signals, the cluster's and the database's.
          ...trailSignals({ deployRoleArn: "", protectedBuckets: [] }).map((signal) => `security-${signal.id}`),
          `security-${execSignal(APP_NAMESPACE).id}`,
          `security-${rbacChangeSignal({ accountId: "", deployRoleName: "" }).id}`,
          `security-${databaseAuthenticationSignal().id}`,
          "guardduty-finding-delivery",
          "security-hub-critical-delivery",
        ].sort(),
      );
    });

    it("notify the alerts topic when they fire and when they recover, and never fire on missing data", () => {
      for (const alarm of Object.values(alarms)) {
        const actions = [...alarm.alarm_actions, ...alarm.ok_actions].map((action: string) => resolveCrossStack(stacks, action));
        expect(actions).toEqual([topicArn, topicArn]);
        expect(alarm).toMatchObject({ actions_enabled: true, treat_missing_data: "notBreaching" });
        expect(alarm.alarm_description.length).toBeGreaterThan(40);
      }
    });

    it("watch the metrics database, its proxy, the warehouse and zero-ETL at the configured thresholds", () => {
      const data = stack("data");
      const db = { DBInstanceIdentifier: `${prefix}-metrics` };
      expect(onlyResource(data, "aws_db_instance").identifier).toBe(db.DBInstanceIdentifier);
      const expectAlarm = (alarmName: string, expected: StackJson) => expect(alarms[alarmName]).toMatchObject({ stackName: `${name}-data`, ...expected });
      expectAlarm("metrics-db-cpu", { metric_name: "CPUUtilization", dimensions: db, statistic: "Average", comparison_operator: "GreaterThanThreshold", threshold: thresholds.databaseCpuPercent });
      expectAlarm("metrics-db-free-storage", { metric_name: "FreeStorageSpace", dimensions: db, statistic: "Minimum", comparison_operator: "LessThanThreshold", threshold: thresholds.databaseFreeStorageGiB * GIB });
      expectAlarm("metrics-db-connections", { metric_name: "DatabaseConnections", dimensions: db, threshold: thresholds.databaseConnections });
      expectAlarm("metrics-db-replication-slot-lag", { metric_name: "OldestReplicationSlotLag", dimensions: db, threshold: thresholds.replicationSlotLagMiB * MIB });
      expectAlarm("metrics-proxy-availability", {
        namespace: "AWS/RDS",
        metric_name: "AvailabilityPercentage",
        dimensions: { ProxyName: onlyResource(data, "aws_db_proxy").name, TargetGroup: "default", TargetRole: "READ_WRITE" },
        comparison_operator: "LessThanThreshold",
        threshold: thresholds.proxyAvailabilityPercent,
      });
      const warehouse = { ClusterIdentifier: onlyResource(data, "aws_redshift_cluster").cluster_identifier };
      expectAlarm("warehouse-health", { namespace: "AWS/Redshift", metric_name: "HealthStatus", dimensions: warehouse, statistic: "Minimum", threshold: 1, comparison_operator: "LessThanThreshold" });
      expectAlarm("warehouse-disk", { metric_name: "PercentageDiskSpaceUsed", dimensions: warehouse, threshold: thresholds.warehouseDiskPercent });
      const [integrationId] = Object.keys(resourcesOf(data, "aws_rds_integration"));
      const integration = { IntegrationId: `\${element(split(":", aws_rds_integration.${integrationId}.arn), 6)}` };
      expectAlarm("zero-etl-lag", { namespace: "AWS/Redshift", metric_name: "IntegrationLag", dimensions: integration, threshold: thresholds.replicationLagSeconds });
      expectAlarm("zero-etl-failed-tables", { metric_name: "IntegrationNumTablesFailedReplication", dimensions: integration, threshold: 1 });
    });

    it("watch the analyses, the status dead-letter queue, the NAT gateways and the cluster's nodes", () => {
      const pipeline = stack("pipeline");
      const [machineId] = Object.keys(resourcesOf(pipeline, "aws_sfn_state_machine"));
      for (const [alarmName, metricName] of [
        ["analyses-failed", "ExecutionsFailed"],
        ["analyses-timed-out", "ExecutionsTimedOut"],
        ["analyses-throttled", "ExecutionThrottled"],
      ]) {
        expect(alarms[alarmName]).toMatchObject({
          namespace: "AWS/States",
          metric_name: metricName,
          dimensions: { StateMachineArn: `${ref("aws_sfn_state_machine", machineId)}arn}` },
          statistic: "Sum",
          threshold: thresholds.failedExecutions,
        });
      }
      expect(alarms["analysis-status-dead-letters"]).toMatchObject({
        namespace: "AWS/SQS",
        metric_name: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: `${prefix}-analysis-status-dlq` },
        threshold: thresholds.deadLetterMessages,
      });
      const natGateways = Object.entries(resourcesOf(network, "aws_nat_gateway"));
      expect(natGateways).toHaveLength(natZones.length);
      for (const zone of natZones) {
        const [natId] = natGateways.find(([id]) => id.includes(`nat-${zone}_`))!;
        expect(alarms[`nat-${zone}-port-allocation`]).toMatchObject({
          namespace: "AWS/NATGateway",
          metric_name: "ErrorPortAllocation",
          dimensions: { NatGatewayId: `${ref("aws_nat_gateway", natId)}id}` },
          threshold: thresholds.natPortAllocationErrors,
        });
      }
      expect(alarms["eks-failed-nodes"]).toMatchObject({
        stackName: `${name}-cluster`,
        namespace: "ContainerInsights",
        metric_name: "cluster_failed_node_count",
        dimensions: { ClusterName: `${prefix}-eks` },
        threshold: thresholds.failedNodes,
      });
    });
  });

  describe("failed Batch jobs", () => {
    const pipeline = stack("pipeline");
    const [ruleId, rule] = Object.entries(resourcesOf(pipeline, "aws_cloudwatch_event_rule")).find(([, r]) => r.name === `${prefix}-batch-job-failed`)!;

    it("are caught on the default bus for the two analysis queues, once per job (not per array child)", () => {
      const queueIds = Object.keys(resourcesOf(pipeline, "aws_batch_job_queue"));
      expect(rule.event_bus_name).toBeUndefined();
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        detail: {
          status: ["FAILED"],
          jobQueue: expect.arrayContaining(queueIds.map((id) => `${ref("aws_batch_job_queue", id)}arn}`)),
          arrayProperties: { index: [{ exists: false }] },
        },
      });
    });

    it("are sent to the alerts topic as a readable message, and a failed delivery raises an alarm", () => {
      const target = Object.values(resourcesOf(pipeline, "aws_cloudwatch_event_target")).find((t) => t.rule === `${ref("aws_cloudwatch_event_rule", ruleId)}name}`)!;
      expect(resolveCrossStack(stacks, target.arn)).toBe(topicArn);
      expect(target.role_arn).toBeUndefined();
      expect(target.input_transformer.input_paths).toEqual({ job: "$.detail.jobName", id: "$.detail.jobId", queue: "$.detail.jobQueue", reason: "$.detail.statusReason" });
      expect(JSON.parse(target.input_transformer.input_template)).toContain("Batch job <job> (<id>) failed on <queue>: <reason>");
      expect(alarms["batch-job-failed-delivery"]).toMatchObject({
        namespace: "AWS/Events",
        metric_name: "FailedInvocations",
        dimensions: { RuleName: `${ref("aws_cloudwatch_event_rule", ruleId)}name}` },
      });
    });
  });

  describe("Container Insights", () => {
    const cluster = stack("cluster");
    const [addonId, addon] = Object.entries(resourcesOf(cluster, "aws_eks_addon")).find(([, a]) => a.addon_name === "amazon-cloudwatch-observability")!;
    const logGroups = Object.entries(resourcesOf(cluster, "aws_cloudwatch_log_group")).filter(([, g]) => g.name.startsWith("/aws/containerinsights/"));

    it("runs the pinned add-on, its operator on the system nodes, after its log groups, nodes and Pod Identity exist", () => {
      expect(addonId).toMatch(/^container-insights_addon/);
      expect(addon.addon_version).toBe(env.cluster.addons.cloudwatchObservability);
      expect(JSON.parse(addon.configuration_values)).toEqual({
        containerLogs: { enabled: true },
        manager: { nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }] },
      });
      const [associationId] = Object.entries(resourcesOf(cluster, "aws_eks_pod_identity_association")).find(
        ([, a]) => a.namespace === CLOUDWATCH_AGENT.namespace && a.service_account === CLOUDWATCH_AGENT.serviceAccount,
      )!;
      expect(addon.depends_on).toEqual(
        expect.arrayContaining([
          `aws_eks_pod_identity_association.${associationId}`,
          ...Object.keys(resourcesOf(cluster, "aws_eks_node_group")).map((id) => `aws_eks_node_group.${id}`),
          ...logGroups.map(([id]) => `aws_cloudwatch_log_group.${id}`),
        ]),
      );
    });

    it("gives the agent CloudWatchAgentServerPolicy through its own Pod Identity role", () => {
      const [roleId] = Object.entries(resourcesOf(cluster, "aws_iam_role")).find(([, r]) => r.name === `${prefix}-eks-cloudwatch-agent`)!;
      const attachments = Object.values(resourcesOf(cluster, "aws_iam_role_policy_attachment")).filter((a) => a.role === `${ref("aws_iam_role", roleId)}name}`);
      expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
    });

    it("keeps container logs and performance events encrypted, for the cluster's retention", () => {
      expect(logGroups.map(([, g]) => g.name).sort()).toEqual(CONTAINER_INSIGHTS_LOG_GROUPS.map((kind) => `/aws/containerinsights/${prefix}-eks/${kind}`).sort());
      for (const [, group] of logGroups) {
        expect(group.retention_in_days).toBe(env.cluster.logRetentionDays);
        expect(resolveCrossStack(stacks, group.kms_key_id)).toMatch(/^\$\{aws_kms_key\.keys_logs_key_[0-9A-F]+\.arn}$/);
      }
    });
  });

  describe("pipeline dashboard", () => {
    const dashboard = onlyResource(stack("pipeline"), "aws_cloudwatch_dashboard");
    const body = JSON.parse(dashboard.dashboard_body);
    const entries = body.widgets.flatMap((widget: StackJson) => widget.properties.metrics) as unknown[][];

    it("draws the analyses, each Batch queue, and the databases' load, as well-formed metric entries", () => {
      expect(dashboard.dashboard_name).toBe(`${prefix}-pipeline`);
      expect(body.widgets.map((widget: StackJson) => widget.properties.title)).toEqual([
        "Analyses: executions per 5 minutes",
        "Analyses: duration (ms)",
        "Batch: jobs queued (entering RUNNABLE) per queue",
        "Batch: jobs started per queue",
        "Batch: longest wait in RUNNABLE per queue (ms)",
        "Batch: failed jobs per queue",
        "Metrics database: load",
        "Warehouse: load",
        "Dashboard refresh: executions per 5 minutes",
        "Analysis outcomes waiting for the API",
      ]);
      for (const entry of entries) {
        const options = entry[entry.length - 1] as StackJson;
        const strings = entry.slice(0, -1);
        expect(strings.every((part) => typeof part === "string")).toBe(true);
        expect(strings.length % 2).toBe(0); // namespace, name, then dimension name/value pairs
        expect(Object.keys(options).sort()).toEqual(["label", "period", "stat"]);
      }
      const queues = Object.values(resourcesOf(stack("pipeline"), "aws_batch_job_queue")).map((queue) => queue.name);
      const batchQueues = entries.filter((entry) => entry[0] === "AWS/Batch").map((entry) => entry[3]);
      expect(new Set(batchQueues)).toEqual(new Set(queues));
      expect(entries.filter((entry) => entry[0] === "AWS/RDS" && entry[2] === "DBInstanceIdentifier").map((entry) => entry[3])).toEqual([
        `${prefix}-metrics`,
        `${prefix}-metrics`,
      ]);
      for (const widget of body.widgets) expect(widget.properties.region).toBe(env.region);
      // 24-column grid, two graphs per row.
      expect(body.widgets.every((widget: StackJson) => widget.width === 12 && widget.x + widget.width <= 24)).toBe(true);
    });
  });
});
