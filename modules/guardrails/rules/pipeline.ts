import { GuardrailRule } from "../rule";
import { blocks, refersTo } from "../synthesized-stack";

export const stateMachineLogsAndTraces: GuardrailRule = {
  id: "sfn-logging-tracing",
  requirement:
    "Every Step Functions state machine logs ALL events, with execution data where the environment allows it and never in production, and has X-Ray tracing on.",
  rationale:
    "A failed analysis must be explainable after the fact (which state failed, and where the time went); its inputs carry tenants' and analyses' ids, which production logs must not (LGPD).",
  check: (stack, context) => {
    const withData = context.executionDataInLogs ?? false;
    return stack
      .resources("aws_sfn_state_machine")
      .filter(
        (machine) =>
          !blocks(machine.values.logging_configuration).some((logging) => logging.level === "ALL" && logging.include_execution_data === withData) ||
          !blocks(machine.values.tracing_configuration).some((tracing) => tracing.enabled === true),
      )
      .map((machine) => ({
        address: machine.address,
        message: `set logging_configuration { level = "ALL", include_execution_data = ${withData} } and tracing_configuration { enabled = true }`,
      }));
  },
};

export const batchJobNotPrivileged: GuardrailRule = {
  id: "batch-job-not-privileged",
  requirement:
    "No Batch job definition runs privileged containers or as root: each names a user that is not root (uid 0), and every container definition is readable JSON.",
  rationale:
    "A privileged container owns its host, and with it every other tenant's job on that instance; a job parsing an untrusted upload as root is one kernel or runtime flaw away from the same.",
  check: (stack) =>
    stack.resources("aws_batch_job_definition").flatMap((definition) => {
      let container: Record<string, unknown>;
      try {
        container = JSON.parse(String(definition.values.container_properties ?? "{}"));
      } catch {
        return [{ address: definition.address, message: "write container_properties as JSON with JSON.stringify" }];
      }
      const findings = container.privileged === true ? [{ address: definition.address, message: "remove privileged: true" }] : [];
      const user = typeof container.user === "string" ? container.user.split(":")[0] : undefined;
      if (user === undefined || user === "" || user === "root" || user === "0") {
        findings.push({ address: definition.address, message: 'set user to a non-root "<uid>:<gid>" (the image\'s user, owner of /scratch and /tmp)' });
      }
      return findings;
    }),
};

export const batchLaunchTemplate: GuardrailRule = {
  id: "batch-launch-template",
  requirement: "Every managed Batch compute environment launches instances from a launch template of the stack (which the launch-template rules check).",
  rationale: "Without the project's launch template, instances would allow IMDSv1 and unencrypted volumes.",
  check: (stack) =>
    stack
      .resources("aws_batch_compute_environment")
      .filter((environment) => environment.values.type === "MANAGED")
      .filter(
        (environment) =>
          !blocks(environment.values.compute_resources)
            .flatMap((resources) => blocks(resources.launch_template))
            .some((template) => stack.resources("aws_launch_template").some((candidate) => refersTo(template.launch_template_id, candidate))),
      )
      .map((environment) => ({ address: environment.address, message: "set compute_resources.launch_template to the stack's launch template" })),
};

export const batchSpotRetry: GuardrailRule = {
  id: "batch-spot-retry",
  requirement: 'Every Batch job definition retries when its host is reclaimed (evaluate_on_exit RETRY on status reason "Host EC2*"), with at least 2 attempts.',
  rationale: "A Spot reclaim is not the job's fault: the job runs again on other capacity instead of failing the analysis.",
  check: (stack) =>
    stack
      .resources("aws_batch_job_definition")
      .filter((definition) => {
        const strategy = blocks(definition.values.retry_strategy)[0];
        const retriesReclaims = blocks(strategy?.evaluate_on_exit).some(
          (rule) => String(rule.action).toUpperCase() === "RETRY" && rule.on_status_reason === "Host EC2*",
        );
        return !retriesReclaims || !(Number(strategy?.attempts) >= 2);
      })
      .map((definition) => ({
        address: definition.address,
        message: 'set retry_strategy { attempts >= 2, evaluate_on_exit { action = "RETRY", on_status_reason = "Host EC2*" } }',
      })),
};
