import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { REFRESH_PROCEDURE } from "../modules/data/dashboard-names";
import { EnvironmentConfig } from "../environments";
import { RoleGrants } from "../modules/iam/role-grants";
import { LogGroup } from "../modules/logging/log-group";
import { Network } from "../modules/network/network";
import { SAMPLES_MAP_RUN_LABEL, analysisDefinition } from "../modules/pipeline/analysis-definition";
import { ANALYSIS_PREFIX, MANIFEST_PREFIX, UPLOADS_PREFIX } from "../modules/pipeline/analysis-contract";
import { sessionTenantPrefix } from "../modules/tenancy/tenant-session";
import { Metric } from "../modules/observability/metric";
import { OperationsDashboard } from "../modules/observability/operations-dashboard";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { AnalysisJob } from "../modules/pipeline/analysis-job";
import { AnalysisStatus } from "../modules/pipeline/analysis-status";
import { BatchCompute } from "../modules/pipeline/batch-compute";
import { DashboardRefresh } from "../modules/pipeline/dashboard-refresh";
import { InputValidator } from "../modules/pipeline/input-validator";
import { JobQueues } from "../modules/pipeline/job-queues";
import { StateMachine } from "../modules/pipeline/state-machine";
import { ClusterStack } from "./cluster-stack";
import { DataStack } from "./data-stack";
import { EnvironmentStack } from "./environment-stack";
import { analysisStateMachineName } from "./naming";
import { CLEAN_SCAN_STATUS, SCAN_STATUS_TAG } from "../modules/data/upload-scanning";

/** The statement the refresh flow runs to refresh the dashboard (a procedure created by the one-time SQL). */
export const DASHBOARD_REFRESH_STATEMENT = `CALL ${REFRESH_PROCEDURE}`;

/**
 * `<env>-pipeline`: the analysis. Batch capacity and fair-share queues, one job definition per step with its own
 * role, the input validation function, the `analysis` state machine (a Distributed Map over the manifest's samples),
 * the status queue that tells the API how each analysis ended, and the scheduled dashboard refresh.
 */
export class PipelineStack extends EnvironmentStack {
  readonly compute: BatchCompute;
  readonly queues: JobQueues;
  readonly jobs: Readonly<Record<"identify" | "aggregate" | "publishMetrics", AnalysisJob>>;
  readonly validator: InputValidator;
  readonly stateMachine: StateMachine;
  readonly status: AnalysisStatus;
  readonly dashboardRefresh: DashboardRefresh;

  constructor(scope: Construct, env: EnvironmentConfig, network: Network, data: DataStack, cluster: ClusterStack, alerts: AlarmDestination) {
    super(scope, "pipeline", env);
    const config = env.pipeline;
    const location = { accountId: env.awsAccountId, region: env.region };

    this.compute = new BatchCompute(this, "compute", {
      namePrefix: this.namePrefix,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnets.ids,
      endpointSecurityGroupId: network.endpointSecurityGroupId,
      s3PrefixListId: network.s3PrefixListId,
      volumeGiB: config.instanceVolumeGiB,
      instanceTypes: config.instanceTypes,
      spotMaxVcpus: config.spotMaxVcpus,
      onDemandMaxVcpus: config.onDemandMaxVcpus,
    });
    // publish-metrics reaches the metrics database through its proxy.
    this.compute.securityGroup.allowTo("metrics-proxy", data.proxy.securityGroup.id, 5432, "PostgreSQL to the metrics database's proxy");
    data.proxy.allowClient(this, "batch", this.compute.securityGroup.id, "PostgreSQL from the analysis Batch jobs");

    this.queues = new JobQueues(this, "queues", {
      namePrefix: this.namePrefix,
      ...location,
      spotArn: this.compute.spotArn,
      onDemandArn: this.compute.onDemandArn,
      ...config.fairShare,
      runnableTimeoutSeconds: config.runnableTimeoutSeconds,
    });

    const jobLogs = new LogGroup(this, "job-logs", {
      name: `/${this.namePrefix}/pipeline/jobs`,
      retentionDays: config.logRetentionDays,
      encryptionKey: data.keys.logs,
    });
    const buckets = data.buckets;
    const common = {
      namePrefix: this.namePrefix,
      ...location,
      image: `${data.repositories.analysis.url}:${config.analysisImageTag}`,
      logGroup: jobLogs,
      environment: {
        UPLOADS_BUCKET: buckets.uploads.name,
        WORK_BUCKET: buckets.work.name,
        RESULTS_BUCKET: buckets.results.name,
        ANALYSIS_PREFIX,
      },
    };
    // Within a tenant's share, later steps go first so started samples finish before new ones start.
    this.jobs = {
      identify: new AnalysisJob(this, "identify", { ...common, step: "identify", schedulingPriority: 1, ...config.jobs.identify }),
      aggregate: new AnalysisJob(this, "aggregate", { ...common, step: "aggregate", schedulingPriority: 2, ...config.jobs.aggregate }),
      publishMetrics: new AnalysisJob(this, "publish-metrics", {
        ...common,
        step: "publish-metrics",
        schedulingPriority: 3,
        ...config.jobs.publishMetrics,
        environment: {
          ...common.environment,
          DB_HOST: data.proxy.endpoint,
          DB_PORT: "5432",
          DB_NAME: data.database.databaseName,
          DB_USER: "metrics_writer",
          DB_SSLMODE: "verify-full",
        },
      }),
    };
    // Customer data only through each job's tenant sessions, and only that tenant's keys. Only uploads GuardDuty
    // scanned and found clean: an infected or not yet scanned file is never parsed.
    const clean = { onlyTagged: { key: SCAN_STATUS_TAG, value: CLEAN_SCAN_STATUS } };
    const tenantAnalyses = sessionTenantPrefix(ANALYSIS_PREFIX);
    buckets.uploads.grantRead(this.jobs.identify.tenantRole, sessionTenantPrefix(UPLOADS_PREFIX), clean);
    buckets.uploads.grantRead(this.jobs.identify.tenantRole, sessionTenantPrefix(MANIFEST_PREFIX), clean);
    buckets.work.grantPut(this.jobs.identify.tenantRole, tenantAnalyses);
    buckets.work.grantRead(this.jobs.aggregate.tenantRole, tenantAnalyses);
    buckets.results.grantPut(this.jobs.aggregate.tenantRole, tenantAnalyses);
    buckets.results.grantRead(this.jobs.publishMetrics.tenantRole, tenantAnalyses);
    data.proxy.grantConnect(this.jobs.publishMetrics, "metrics_writer");

    this.validator = new InputValidator(this, "validate-input", {
      namePrefix: this.namePrefix,
      ...location,
      manifestBucketName: buckets.uploads.name,
      logsKey: data.keys.logs,
      logRetentionDays: config.logRetentionDays,
    });
    buckets.uploads.grantRead(this.validator, MANIFEST_PREFIX);

    const stateMachineLogs = (purpose: string) =>
      new LogGroup(this, `${purpose}-logs`, {
        // Step Functions' recommended prefix: its log delivery keeps the resource policy small.
        name: `/aws/vendedlogs/states/${this.namePrefix}-${purpose}`,
        retentionDays: config.logRetentionDays,
        encryptionKey: data.keys.logs,
      });
    this.stateMachine = new StateMachine(this, "analysis", {
      name: analysisStateMachineName(env),
      description: "Analysis state machine: validates the input, maps the samples to Batch jobs, publishes the metrics",
      ...location,
      logGroup: stateMachineLogs("analysis"),
      includeExecutionData: config.executionDataInLogs,
      definition: analysisDefinition({
        validateInputFunctionArn: this.validator.arn,
        bulkQueueArn: this.queues.bulkArn,
        interactiveQueueArn: this.queues.interactiveArn,
        identifyJobArn: this.jobs.identify.arn,
        aggregateJobArn: this.jobs.aggregate.arn,
        publishMetricsJobArn: this.jobs.publishMetrics.arn,
        maxConcurrentSamples: config.maxConcurrentSamples,
        timeoutSeconds: config.executionTimeoutSeconds,
      }),
    });
    this.validator.grantInvoke(this.stateMachine);
    this.stateMachine.grantDistributedMap(SAMPLES_MAP_RUN_LABEL);
    // The Distributed Map reads the manifest itself (ItemReader).
    buckets.uploads.grantRead(this.stateMachine, MANIFEST_PREFIX);
    this.queues.grantSubmitAndWait(this.stateMachine, Object.values(this.jobs).map((job) => job.arnPattern));

    this.status = new AnalysisStatus(this, "status", {
      namePrefix: this.namePrefix,
      stateMachineArn: this.stateMachine.arn,
      encryptionKey: data.keys.messaging,
      maxReceiveCount: config.statusMaxReceiveCount,
    });

    this.dashboardRefresh = new DashboardRefresh(this, "dashboard-refresh", {
      namePrefix: this.namePrefix,
      ...location,
      warehouseClusterId: data.warehouse.identifier,
      warehouseDatabase: data.warehouse.databaseName,
      refreshStatement: DASHBOARD_REFRESH_STATEMENT,
      everyMinutes: config.dashboardRefreshMinutes,
      logGroup: stateMachineLogs("dashboard-refresh"),
      includeExecutionData: config.executionDataInLogs,
    });
    data.warehouse.grantDataApi(this.dashboardRefresh.stateMachine, { statementsOfRole: this.dashboardRefresh.stateMachine.role.uniqueId });

    // The API starts and follows analyses (and their samples' child executions) and consumes their ends; the grants
    // live here, next to what they are about, attached to the API's Pod Identity role from the cluster stack (whose
    // uploads grant lets it write the manifests, which the uploads bucket's policy lets no one else write).
    const api = new RoleGrants(this, "api-grants", { roleName: cluster.workloadRoles.api.name, policyName: "analysis-pipeline" });
    this.stateMachine.grantRun(api, [SAMPLES_MAP_RUN_LABEL]);
    this.status.statusQueue.grantConsume(api);

    const { alarms } = env.observability;
    this.stateMachine.addAlarms(alerts, "analyses", alarms.failedExecutions, {
      ExecutionsFailed: "Read the failed executions' causes (aws stepfunctions describe-execution); InvalidInput carries the reason, States.ExceedToleratedFailureThreshold means a sample failed (aws stepfunctions list-map-runs).",
      ExecutionsTimedOut: "An analysis ran past its time limit: Batch capacity is short or a job is stuck; check the queues' RUNNABLE jobs.",
      ExecutionThrottled: "Step Functions throttled state transitions or retries: too many analyses at once for the account's quotas; request an increase.",
    });
    this.status.addAlarms(alerts, { deadLetterMessages: alarms.deadLetterMessages });
    this.dashboardRefresh.addAlarms(alerts, alarms.failedExecutions);
    this.queues.addAlarms(alerts);

    // The pipeline's health at a glance: analyses, Batch queues, and the load of the databases they feed.
    const perQueue = (metricName: string, statistic: Metric["statistic"]) =>
      this.queues.names.map((queue) => this.queues.metric(queue, metricName, statistic, queue.slice(this.namePrefix.length + 1)));
    const dashboard = new OperationsDashboard(this, "dashboard", {
      dashboardName: `${this.namePrefix}-pipeline`,
      region: env.region,
      graphs: [
        {
          title: "Analyses: executions per 5 minutes",
          metrics: ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"].map((name) =>
            this.stateMachine.metric(name, "Sum", name.replace("Executions", "")),
          ),
        },
        { title: "Analyses: duration (ms)", metrics: [this.stateMachine.metric("ExecutionTime", "Average", "average"), this.stateMachine.metric("ExecutionTime", "Maximum", "maximum")] },
        // Batch publishes no queue-depth gauge: jobs entering RUNNABLE against jobs starting is the backlog's flow.
        { title: "Batch: jobs queued (entering RUNNABLE) per queue", metrics: perQueue("JobsMovedToRunnable", "Sum"), stacked: true },
        { title: "Batch: jobs started per queue", metrics: perQueue("JobsMovedToStarting", "Sum"), stacked: true },
        { title: "Batch: longest wait in RUNNABLE per queue (ms)", metrics: perQueue("JobAttemptRunnableToStartingDuration", "Maximum") },
        { title: "Batch: failed jobs per queue", metrics: perQueue("JobsMovedToFailed", "Sum"), stacked: true },
        {
          title: "Metrics database: load",
          metrics: [
            data.database.metric("CPUUtilization", "Average", "CPU %"),
            data.database.metric("DatabaseConnections", "Maximum", "connections"),
            data.proxy.metric("ClientConnections", "Sum", "proxy client connections"),
          ],
        },
        {
          title: "Warehouse: load",
          metrics: [
            data.warehouse.metric("CPUUtilization", "Average", "CPU %"),
            data.warehouse.metric("PercentageDiskSpaceUsed", "Maximum", "disk %"),
            data.warehouse.metric("DatabaseConnections", "Maximum", "connections"),
          ],
        },
        {
          title: "Dashboard refresh: executions per 5 minutes",
          metrics: ["ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"].map((name) =>
            this.dashboardRefresh.stateMachine.metric(name, "Sum", name.replace("Executions", "")),
          ),
        },
        {
          title: "Analysis outcomes waiting for the API",
          metrics: [
            this.status.statusQueue.metric("ApproximateNumberOfMessagesVisible", "Maximum", "status queue"),
            this.status.deadLetterQueue.metric("ApproximateNumberOfMessagesVisible", "Maximum", "dead-letter queue"),
          ],
        },
      ],
    });

    const outputs: Record<string, [string, string]> = {
      "dashboard-name": [dashboard.name, "CloudWatch dashboard of the pipeline's health"],
      "state-machine-arn": [this.stateMachine.arn, "Analysis state machine"],
      "status-queue-url": [this.status.statusQueue.url, "Queue of analysis ends (Step Functions status change events) the API consumes"],
      "validate-input-function": [this.validator.functionName, "Function that checks an analysis's input and manifest"],
      "dashboard-refresh-state-machine-arn": [this.dashboardRefresh.stateMachine.arn, "Scheduled refresh of the dashboard's views"],
      "bulk-queue-arn": [this.queues.bulkArn, "Batch queue of identification jobs"],
      "interactive-queue-arn": [this.queues.interactiveArn, "Batch queue of aggregation and publishing jobs"],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, id, { value, description });
  }
}
