import { SESSION_HOST_IMAGE, SESSION_IDLE_MINUTES, SESSION_MAX_MINUTES, SESSION_PREFERENCES_DOCUMENT } from "../../modules/access/session-host";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

// Human access without bastions or SSH: the session host, reached only by Session Manager, forwards to the private
// EKS API and to the metrics database's proxy.

describe.each(ENVIRONMENT_NAMES)("%s session host", (name) => {
  const env = environment(name);
  const prefix = `${env.project}-${env.name}`;
  const stacks = synthesizedStacks(name);
  const cluster = stacks[`${name}-cluster`];
  const instance = onlyResource(cluster, "aws_instance");
  const [templateId, template] = Object.entries(resourcesOf(cluster, "aws_launch_template")).find(([, candidate]) => candidate.name === `${prefix}-session-host`)!;
  const [groupId] = Object.entries(resourcesOf(cluster, "aws_security_group")).find(([, group]) => group.name === `${prefix}-session-host`)!;
  const group = `${ref("aws_security_group", groupId)}id}`;
  const rules = (type: string, stack: StackJson = cluster) => Object.values(resourcesOf(stack, type));

  it("launches from its template: IMDSv2 with hop limit 1, an encrypted root volume, no key pair, the configured Graviton type", () => {
    expect(instance.launch_template).toEqual({ id: `${ref("aws_launch_template", templateId)}id}`, version: `${ref("aws_launch_template", templateId)}latest_version}` });
    expect(instance.key_name).toBeUndefined();
    expect(instance.associate_public_ip_address).toBeUndefined();
    expect(instance.subnet_id).toMatch(/cross-stack-output-aws_subnetnetwork_private-/);
    expect(template).toMatchObject({
      image_id: SESSION_HOST_IMAGE,
      instance_type: env.cluster.sessionHost.instanceType,
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      vpc_security_group_ids: [group],
    });
    expect(template.key_name).toBeUndefined();
    expect(template.block_device_mappings).toEqual([expect.objectContaining({ ebs: expect.objectContaining({ encrypted: "true" }) })]);
    expect(template.iam_instance_profile.arn).toMatch(/aws_iam_instance_profile\..+\.arn}$/);
  });

  it("admits nothing; reaches the endpoints, the Kubernetes API and the proxy only", () => {
    expect(rules("aws_vpc_security_group_ingress_rule").filter((rule) => rule.security_group_id === group)).toEqual([]);
    const egress = rules("aws_vpc_security_group_egress_rule").filter((rule) => rule.security_group_id === group);
    const peers = egress.map((rule) => `${rule.from_port} ${rule.cidr_ipv4 ?? rule.referenced_security_group_id ?? rule.prefix_list_id}`);
    expect(peers).toHaveLength(4);
    for (const expected of [/^443 .*endpoints_security-group/, /^443 .*gateway-s3.*prefix_list_id/, /^443 .*control-plane/, /^5432 .*metrics-proxy/]) {
      expect(peers).toContainEqual(expect.stringMatching(expected));
    }
    expect(egress.some((rule) => rule.cidr_ipv4 === "0.0.0.0/0")).toBe(false);
  });

  it("is admitted by the EKS control plane on 443 and by the proxy on 5432, by security group", () => {
    expect(rules("aws_vpc_security_group_ingress_rule")).toEqual(
      expect.arrayContaining([expect.objectContaining({ referenced_security_group_id: group, from_port: 443, to_port: 443, security_group_id: expect.stringMatching(/control-plane/) })]),
    );
    expect(rules("aws_vpc_security_group_ingress_rule")).toEqual(
      expect.arrayContaining([expect.objectContaining({ referenced_security_group_id: group, from_port: 5432, security_group_id: expect.stringMatching(/metrics-proxy/) })]),
    );
  });

  it("runs the SSM agent through the interface endpoints, with a role for the agent and the session logs only", () => {
    const endpoints = rules("aws_vpc_endpoint", stacks[`${name}-network`]).map((endpoint) => endpoint.service_name.split(".").slice(3).join("."));
    expect(endpoints).toEqual(expect.arrayContaining(["ssm", "ssmmessages", "ec2messages"]));
    const [roleId] = Object.entries(resourcesOf(cluster, "aws_iam_role")).find(([, role]) => role.name === `${prefix}-session-host`)!;
    const attachments = rules("aws_iam_role_policy_attachment").filter((attachment) => attachment.role === `${ref("aws_iam_role", roleId)}name}`);
    expect(attachments.map((attachment) => attachment.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    const policy = rules("aws_iam_role_policy").find((candidate) => candidate.role === `${ref("aws_iam_role", roleId)}name}`)!;
    expect(JSON.parse(policy.policy).Statement.flatMap((statement: StackJson) => [statement.Action].flat()).sort()).toEqual(
      ["logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"].sort(),
    );
  });

  it("logs shell sessions to an encrypted log group, and ends idle and long sessions", () => {
    const document = onlyResource(cluster, "aws_ssm_document");
    expect(document).toMatchObject({ name: SESSION_PREFERENCES_DOCUMENT, document_type: "Session", document_format: "JSON" });
    const content = JSON.parse(document.content);
    const [groupLogId, logGroup] = Object.entries(resourcesOf(cluster, "aws_cloudwatch_log_group")).find(([, candidate]) => candidate.name === `/${prefix}/ssm/sessions`)!;
    expect(content.inputs).toMatchObject({
      cloudWatchLogGroupName: `${ref("aws_cloudwatch_log_group", groupLogId)}name}`,
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      runAsEnabled: false,
      idleSessionTimeout: String(SESSION_IDLE_MINUTES),
      maxSessionDuration: String(SESSION_MAX_MINUTES),
    });
    expect(logGroup).toMatchObject({ retention_in_days: env.cluster.logRetentionDays, kms_key_id: expect.stringContaining("keys_logs_key") });
  });
});
