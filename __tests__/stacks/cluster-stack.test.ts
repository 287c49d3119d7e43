import { EBS_CSI_CLUSTER_TAG } from "../../modules/cluster/cluster-addons";
import { DASHBOARD_TENANTS_GROUP, TENANT_USER_PREFIX } from "../../modules/data/dashboard-names";
import { CONTROL_PLANE_LOG_TYPES } from "../../modules/cluster/eks-cluster";
import { SYSTEM_NODE_LABEL, WORKER_NODE_POLICIES } from "../../modules/cluster/system-node-group";
import { STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { iamResourceWildcard } from "../../modules/guardrails/rules/iam";
import { SynthesizedStack } from "../../modules/guardrails/synthesized-stack";
import { MANAGED_POLICY_MAX_CHARACTERS, estimatedPolicySize } from "../../modules/iam/managed-policy";
import { INTERRUPTION_EVENTS } from "../../modules/karpenter/interruption-queue";
import { HELM_RELEASE_NAMESPACES, WORKLOAD_SERVICE_ACCOUNTS } from "../../stacks/cluster-stack";
import { APP_NAMESPACE, SECRET_OWNERS, identityRoleArn } from "../../stacks/naming";
import { decision, withValues } from "../helpers/iam-simulation";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

/** Every environment's cluster and data stacks, synthesized once for this file. */
const synthesized = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthesizedStacks(name)]));

/** The statements of a role's inline policy (empty when it has none). */
function inlineStatements(stack: StackJson, roleId: string): StackJson[] {
  const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((p) => p.role === `${ref("aws_iam_role", roleId)}name}`);
  return policy ? JSON.parse(policy.policy).Statement : [];
}

/** Logical id of the role with this name. */
function roleId(stack: StackJson, name: string): string {
  const entry = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, role]) => role.name === name);
  if (!entry) throw new Error(`no role ${name}`);
  return entry[0];
}

describe.each(ENVIRONMENT_NAMES)("%s-cluster", (name) => {
  const env = environment(name);
  const stack = synthesized[name][`${name}-cluster`];
  const clusterName = `proteomics-${name}-eks`;
  const cluster = onlyResource(stack, "aws_eks_cluster");
  const [clusterId] = Object.keys(resourcesOf(stack, "aws_eks_cluster"));
  const clusterArn = `${ref("aws_eks_cluster", clusterId)}arn}`;
  const remoteKey = (purpose: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}-data\\.outputs\\.cross-stack-output-aws_kms_keykeys_${purpose}_key_[0-9A-F]+arn}$`);

  describe("control plane", () => {
    it("runs the configured Kubernetes version and upgrade policy, with add-ons managed explicitly", () => {
      expect(cluster).toMatchObject({
        name: clusterName,
        version: env.cluster.kubernetesVersion,
        upgrade_policy: { support_type: env.cluster.upgradeSupportType },
        bootstrap_self_managed_addons: false,
        deletion_protection: env.protection.deletionProtection,
      });
    });

    it("authenticates through access entries only, with no implicit admin for its creator", () => {
      expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    });

    it("grants cluster admin to the deploy, platform-admin and break-glass roles, view to the developers, view plus the Helm releases' Secrets to the plan role, EC2_LINUX to Karpenter's nodes", () => {
      const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry"));
      const associations = Object.values(resourcesOf(stack, "aws_eks_access_policy_association"));
      const principal = (arn: string) => {
        const [id] = Object.entries(resourcesOf(stack, "aws_eks_access_entry")).find(([, entry]) => entry.principal_arn === arn)!;
        return `${ref("aws_eks_access_entry", id)}principal_arn}`;
      };
      const grants = associations.map((association) => [
        association.principal_arn,
        association.policy_arn.split("/").pop(),
        association.access_scope.type,
        association.access_scope.namespaces ?? [],
      ]);
      const admins = [...(["deploy", "platformAdmin", "breakGlass"] as const).map((kind) => identityRoleArn(env, kind)), ...env.cluster.adminRoleArns];
      const viewers = [identityRoleArn(env, "developer"), identityRoleArn(env, "plan"), ...env.cluster.viewerRoleArns];
      expect(entries.filter((entry) => entry.type === "STANDARD").map((entry) => entry.principal_arn).sort()).toEqual([...admins, ...viewers].sort());
      expect(grants.sort()).toEqual(
        [
          ...admins.map((arn) => [principal(arn), "AmazonEKSClusterAdminPolicy", "cluster", []]),
          ...viewers.map((arn) => [principal(arn), "AmazonEKSViewPolicy", "cluster", []]),
          [principal(identityRoleArn(env, "plan")), "AmazonEKSAdminViewPolicy", "namespace", [...HELM_RELEASE_NAMESPACES]],
        ].sort(),
      );
      // Never the application's namespace, whose Secrets are the application's.
      expect(HELM_RELEASE_NAMESPACES).not.toContain(APP_NAMESPACE);
      const karpenterNodeRole = `${ref("aws_iam_role", roleId(stack, `${clusterName}-karpenter-node`))}arn}`;
      expect(entries.filter((entry) => entry.type === "EC2_LINUX")).toEqual([expect.objectContaining({ principal_arn: karpenterNodeRole })]);
    });

    it(`keeps the private endpoint on and the public one ${env.cluster.endpointPublicAccess ? "restricted" : "off"}`, () => {
      expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: env.cluster.endpointPublicAccess });
      expect(cluster.vpc_config.public_access_cidrs ?? []).not.toContain("0.0.0.0/0");
      expect(cluster.vpc_config.subnet_ids).toHaveLength(env.network.availabilityZones.length);
      for (const subnet of cluster.vpc_config.subnet_ids) expect(subnet).toMatch(/cross-stack-output-aws_subnetnetwork_private-/);
    });

    it("envelope-encrypts secrets with the secrets key", () => {
      expect(cluster.encryption_config.resources).toEqual(["secrets"]);
      expect(cluster.encryption_config.provider.key_arn).toMatch(remoteKey("secrets"));
    });

    it("sends every log type to an encrypted log group created before the cluster", () => {
      expect(cluster.enabled_cluster_log_types).toEqual([...CONTROL_PLANE_LOG_TYPES]);
      const [groupId, group] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(([, g]) => g.name === `/aws/eks/${clusterName}/cluster`)!;
      expect(group.retention_in_days).toBe(env.cluster.logRetentionDays);
      expect(group.kms_key_id).toMatch(remoteKey("logs"));
      expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${groupId}`);
    });

    it("has a control-plane role trusted by EKS for this cluster only", () => {
      const role = resourcesOf(stack, "aws_iam_role")[roleId(stack, `${clusterName}-cluster`)];
      expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
        Principal: { Service: "eks.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": env.awsAccountId },
          ArnLike: { "aws:SourceArn": `arn:aws:eks:${env.region}:${env.awsAccountId}:cluster/${clusterName}` },
        },
      });
    });
  });

  describe("system node group", () => {
    const group = onlyResource(stack, "aws_eks_node_group");
    const template = Object.values(resourcesOf(stack, "aws_launch_template")).find((candidate) => candidate.name === `${clusterName}-system`)!;

    it("is sized from config and spread over every zone's private subnet", () => {
      const { systemNodes } = env.cluster;
      expect(group).toMatchObject({
        ami_type: systemNodes.amiType,
        instance_types: systemNodes.instanceTypes,
        capacity_type: "ON_DEMAND",
        scaling_config: { min_size: systemNodes.minSize, desired_size: systemNodes.desiredSize, max_size: systemNodes.maxSize },
        version: env.cluster.kubernetesVersion,
      });
      expect(group.subnet_ids).toEqual(cluster.vpc_config.subnet_ids);
    });

    it("is labelled and tainted for critical add-ons only", () => {
      expect(group.labels).toEqual({ [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value });
      expect(group.taint).toEqual([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
    });

    it("launches with IMDSv2 only, an encrypted gp3 root volume and no SSH key", () => {
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(template.block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: { volume_size: env.cluster.systemNodes.diskSizeGiB, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
      ]);
      expect(template.key_name).toBeUndefined();
      expect(template.image_id).toBeUndefined();
      expect(group.remote_access).toBeUndefined();
    });

    it("has a node role with the worker node policies", () => {
      const id = roleId(stack, `${clusterName}-system-node`);
      const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
        .filter((attachment) => attachment.role === `${ref("aws_iam_role", id)}name}`)
        .map((attachment) => attachment.policy_arn);
      expect(attached.sort()).toEqual([...WORKER_NODE_POLICIES].sort());
      expect(attached).not.toContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
    });

    it("gives the VPC CNI its own Pod Identity role (kube-system/aws-node), associated by its add-on, with the CNI policy in place first", () => {
      const id = roleId(stack, `${clusterName}-vpc-cni`);
      const cniAddon = Object.values(resourcesOf(stack, "aws_eks_addon")).find((candidate) => candidate.addon_name === "vpc-cni")!;
      expect(cniAddon.pod_identity_association).toEqual([{ role_arn: `${ref("aws_iam_role", id)}arn}`, service_account: "aws-node" }]);
      const [attachmentId, attachment] = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment")).find(([, candidate]) => candidate.role === `${ref("aws_iam_role", id)}name}`)!;
      expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
      expect(cniAddon.depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentId}`);
      const trust = JSON.parse(resourcesOf(stack, "aws_iam_role")[id].assume_role_policy).Statement[0];
      expect(trust.Condition.StringEquals).toMatchObject({ "aws:RequestTag/kubernetes-namespace": "kube-system", "aws:RequestTag/kubernetes-service-account": "aws-node" });
    });
  });

  describe("add-ons", () => {
    const addons = Object.entries(resourcesOf(stack, "aws_eks_addon"));
    const addon = (addonName: string) => addons.find(([, a]) => a.addon_name === addonName)!;
    const [nodeGroupId] = Object.keys(resourcesOf(stack, "aws_eks_node_group"));

    it("are pinned to the configured versions", () => {
      const versions = Object.fromEntries(addons.map(([, a]) => [a.addon_name, a.addon_version]));
      const { addons: config } = env.cluster;
      expect(versions).toEqual({
        "vpc-cni": config.vpcCni,
        "kube-proxy": config.kubeProxy,
        "eks-pod-identity-agent": config.podIdentityAgent,
        coredns: config.coredns,
        "aws-ebs-csi-driver": config.ebsCsiDriver,
        "amazon-cloudwatch-observability": config.cloudwatchObservability,
      });
    });

    it("enforce network policies through the VPC CNI", () => {
      expect(JSON.parse(addon("vpc-cni")[1].configuration_values)).toEqual({ enableNetworkPolicy: "true" });
    });

    it("install networking before the nodes, and CoreDNS and the EBS CSI driver after them, on the system nodes", () => {
      const group = onlyResource(stack, "aws_eks_node_group");
      expect(group.depends_on.filter((address: string) => address.startsWith("aws_eks_addon.")).sort()).toEqual(
        ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].map((n) => `aws_eks_addon.${addon(n)[0]}`).sort(),
      );
      for (const late of ["coredns", "aws-ebs-csi-driver"]) {
        expect(addon(late)[1].depends_on).toContain(`aws_eks_node_group.${nodeGroupId}`);
      }
      const onSystemNodes = { nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] };
      expect(JSON.parse(addon("coredns")[1].configuration_values)).toEqual({ replicaCount: 2, ...onSystemNodes });
      // The driver tags what it creates with the cluster's name: its cluster-scoped policy manages only those.
      expect(JSON.parse(addon("aws-ebs-csi-driver")[1].configuration_values)).toEqual({ controller: { ...onSystemNodes, extraVolumeTags: { [EBS_CSI_CLUSTER_TAG]: clusterName } } });
    });

    it("gives the EBS CSI driver the cluster-scoped managed policy, and Karpenter's nodes the tag it attaches volumes to", () => {
      const id = roleId(stack, `${clusterName}-ebs-csi-driver`);
      const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter((attachment) => attachment.role === `${ref("aws_iam_role", id)}name}`);
      expect(attached.map((attachment) => attachment.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy"]);
      const nodeClass = Object.values(resourcesOf(synthesized[name][`${name}-platform`], "kubernetes_manifest")).find((manifest) => manifest.manifest.kind === "EC2NodeClass")!;
      expect(nodeClass.manifest.spec.tags[EBS_CSI_CLUSTER_TAG]).toBe(clusterName);
    });
  });

  describe("Pod Identity", () => {
    // Named after the role, not the service account (aws-load-balancer-controller would not fit IAM's 64 characters).
    const ROLE_NAMES: Record<string, string> = {
      ebsCsiDriver: "ebs-csi-driver",
      cloudwatchAgent: "cloudwatch-agent",
      loadBalancerController: "load-balancer-controller",
      externalSecrets: "external-secrets",
      api: "api",
      frontend: "frontend",
      metricsMigrations: "metrics-migrations",
    };

    it.each(Object.entries(WORKLOAD_SERVICE_ACCOUNTS))("%s: a role trusted only for its service account in this cluster", (workload, { namespace, serviceAccount }) => {
      const id = roleId(stack, `${clusterName}-${ROLE_NAMES[workload]}`);
      expect(JSON.parse(resourcesOf(stack, "aws_iam_role")[id].assume_role_policy).Statement).toEqual([
        {
          Sid: "EksPodIdentity",
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:SourceAccount": env.awsAccountId,
              "aws:RequestTag/eks-cluster-arn": clusterArn,
              "aws:RequestTag/kubernetes-namespace": namespace,
              "aws:RequestTag/kubernetes-service-account": serviceAccount,
            },
          },
        },
      ]);
      expect(Object.values(resourcesOf(stack, "aws_eks_pod_identity_association"))).toContainEqual(
        expect.objectContaining({ namespace, service_account: serviceAccount, role_arn: `${ref("aws_iam_role", id)}arn}` }),
      );
    });

    it("lets the API open tenant sessions (its only way to customer data) and connect to the metrics database as api", () => {
      const statements = inlineStatements(stack, roleId(stack, `${clusterName}-api`));
      const tenantRole = roleId(stack, `${clusterName}-api-tenant`);
      expect(statements.filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith("s3:") || action.startsWith("kms:")))).toEqual([]);
      expect(statements.find((statement) => [statement.Action].flat().includes("sts:AssumeRole"))).toEqual({
        Effect: "Allow",
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Resource: `${ref("aws_iam_role", tenantRole)}arn}`,
        Condition: { StringLike: { "aws:RequestTag/tenant": "?*" }, StringNotLike: { "aws:RequestTag/tenant": "*/*" } },
      });
      const connect = statements.find((statement) => statement.Action === "rds-db:connect")!;
      expect(connect.Resource).toMatch(new RegExp(`^arn:aws:rds-db:${env.region}:${env.awsAccountId}:dbuser:\\$\\{data\\.terraform_remote_state\\..+}/api$`));
      // What the tenant sessions may do is evaluated in __tests__/tenancy/tenant-isolation.test.ts.
      const tenantActions = inlineStatements(stack, tenantRole).flatMap((statement) => [statement.Action].flat());
      expect(tenantActions).toEqual(expect.arrayContaining(["s3:PutObject", "s3:GetObject", "s3:ListBucket", "kms:GenerateDataKey"]));
      expect(tenantActions).not.toContain("s3:DeleteObject");
    });

    it("lets the front-end open tenant sessions for the dashboard (no Data API, no warehouse user of its own) and connect to its database as frontend", () => {
      const statements = inlineStatements(stack, roleId(stack, `${clusterName}-frontend`));
      expect(statements.map((statement) => [statement.Action].flat().join(","))).toEqual(["sts:AssumeRole,sts:TagSession", "rds-db:connect"]);
      expect(statements[0].Resource).toBe(`${ref("aws_iam_role", roleId(stack, `${clusterName}-frontend-tenant`))}arn}`);
      expect(statements[1].Resource).toMatch(new RegExp(`^arn:aws:rds-db:${env.region}:${env.awsAccountId}:dbuser:\\$\\{data\\.terraform_remote_state\\..+}/frontend$`));
      const warehouse = (type: string, object: string) => `arn:aws:redshift:${env.region}:${env.awsAccountId}:${type}:proteomics-${name}-analytics/${object}`;
      expect(inlineStatements(stack, roleId(stack, `${clusterName}-frontend-tenant`))).toEqual([
        {
          Sid: "SignInAsTheTenantsUser",
          Effect: "Allow",
          Action: ["redshift:GetClusterCredentials", "redshift:CreateClusterUser"],
          Resource: [warehouse("dbuser", `${TENANT_USER_PREFIX}$\${aws:PrincipalTag/tenant}`), warehouse("dbname", env.data.redshift.databaseName)],
        },
        { Sid: "JoinTheTenantsGroup", Effect: "Allow", Action: "redshift:JoinGroup", Resource: warehouse("dbgroup", DASHBOARD_TENANTS_GROUP) },
      ]);
    });

    it("gives the load balancer controller its published policy, under IAM's size limit", () => {
      const [policyId, policy] = Object.entries(resourcesOf(stack, "aws_iam_policy")).find(([, p]) => p.name === `${clusterName}-load-balancer-controller`)!;
      expect(estimatedPolicySize(policy.policy)).toBeLessThan(MANAGED_POLICY_MAX_CHARACTERS);
      const statements = JSON.parse(policy.policy).Statement;
      expect(statements).toHaveLength(16);
      const tagged = statements.filter((statement: StackJson) => JSON.stringify(statement.Condition ?? {}).includes("elbv2.k8s.aws/cluster"));
      expect(tagged.flatMap((statement: StackJson) => [statement.Action].flat())).toEqual(
        expect.arrayContaining(["elasticloadbalancing:DeleteLoadBalancer", "ec2:DeleteSecurityGroup", "elasticloadbalancing:CreateLoadBalancer"]),
      );
      const role = roleId(stack, `${clusterName}-load-balancer-controller`);
      expect(Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))).toContainEqual(
        expect.objectContaining({ role: `${ref("aws_iam_role", role)}name}`, policy_arn: `${ref("aws_iam_policy", policyId)}arn}` }),
      );
    });

    it("lets the load balancer controller change only the security groups of its own cluster (evaluated by the IAM simulator)", async () => {
      const policy = JSON.parse(Object.values(resourcesOf(stack, "aws_iam_policy")).find((p) => p.name === `${clusterName}-load-balancer-controller`)!.policy);
      const resolved = withValues(JSON.stringify(policy), { aws_security_group: "sg-0000000000000node" });
      const change = (action: string, owner: string | undefined, group = "sg-0123456789abcdef0") =>
        decision(
          {
            principal: `arn:aws:sts::${env.awsAccountId}:assumed-role/${clusterName}-load-balancer-controller/s`,
            action,
            resource: `arn:aws:ec2:${env.region}:${env.awsAccountId}:security-group/${group}`,
            resourceAccount: env.awsAccountId,
            context: owner === undefined ? {} : { "aws:ResourceTag/elbv2.k8s.aws/cluster": owner },
          },
          { identity: [resolved] },
        );
      for (const action of ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"]) {
        expect([action, await change(action, clusterName)]).toEqual([action, "Allowed"]);
        expect([action, await change(action, "proteomics-other-eks")]).toEqual([action, "ImplicitlyDenied"]);
        expect([action, await change(action, undefined)]).toEqual([action, "ImplicitlyDenied"]);
      }
      // The rules it adds for the targets go on the nodes' group (the pods share it), and no other untagged group.
      for (const action of ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]) expect([action, await change(action, undefined, "sg-0000000000000node")]).toEqual([action, "Allowed"]);
      expect(await change("ec2:DeleteSecurityGroup", undefined, "sg-0000000000000node")).toBe("ImplicitlyDenied");
    });

    describe("secrets per application (evaluated by the IAM simulator)", () => {
      const controllerId = roleId(stack, `${clusterName}-external-secrets`);
      const readerIds = Object.fromEntries(SECRET_OWNERS.map((app) => [app, roleId(stack, `${clusterName}-secrets-${app}`)]));
      const arnOf = (id: string) => `arn:aws:iam::${env.awsAccountId}:role/${resourcesOf(stack, "aws_iam_role")[id].name}`;
      const values = {
        ...Object.fromEntries([controllerId, ...Object.values(readerIds)].map((id) => [`aws_iam_role.${id}.arn`, arnOf(id)])),
        "data.terraform_remote_state": `arn:aws:kms:${env.region}:${env.awsAccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      };
      const policyOf = (id: string) => withValues(JSON.stringify({ Version: "2012-10-17", Statement: inlineStatements(stack, id) }), values);
      const secretArn = (path: string) => `arn:aws:secretsmanager:${env.region}:${env.awsAccountId}:secret:${path}-AbCdEf`;
      const read = (principalId: string, path: string) =>
        decision(
          { principal: arnOf(principalId), action: "secretsmanager:GetSecretValue", resource: secretArn(path), resourceAccount: env.awsAccountId },
          { identity: [policyOf(principalId)] },
        );

      it("gives the controller no secret of its own: it may only assume the applications' reader roles", async () => {
        expect(inlineStatements(stack, controllerId)).toEqual([
          { Sid: "AssumeApplicationSecretReaders", Effect: "Allow", Action: "sts:AssumeRole", Resource: SECRET_OWNERS.map((app) => `${ref("aws_iam_role", readerIds[app])}arn}`) },
        ]);
        expect(await read(controllerId, `proteomics-${name}/frontend/django-secret-key`)).toBe("ImplicitlyDenied");
      });

      it.each(SECRET_OWNERS.map((app) => [app]))("lets %s's reader read its own secrets and no other application's or the environment's", async (app) => {
        const reader = readerIds[app];
        expect(await read(reader, `proteomics-${name}/${app}/any-secret`)).toBe("Allowed");
        for (const other of SECRET_OWNERS.filter((candidate) => candidate !== app)) expect(await read(reader, `proteomics-${name}/${other}/any-secret`)).toBe("ImplicitlyDenied");
        expect(await read(reader, `proteomics-${name}/database-admin`)).toBe("ImplicitlyDenied");
        const trust = withValues(resourcesOf(stack, "aws_iam_role")[reader].assume_role_policy, values);
        const assume = (principal: string) =>
          decision({ principal, action: "sts:AssumeRole", resource: arnOf(reader), resourceAccount: env.awsAccountId }, { resource: trust });
        expect(await assume(arnOf(controllerId))).toBe("Allowed");
        // The controller's Pod Identity session tags are transitive: the chained AssumeRole carries them.
        expect(JSON.parse(resourcesOf(stack, "aws_iam_role")[reader].assume_role_policy).Statement[0].Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
        expect(await assume(arnOf(roleId(stack, `${clusterName}-api`)))).toBe("ImplicitlyDenied");
      });
    });
  });

  describe("Karpenter", () => {
    const queue = onlyResource(stack, "aws_sqs_queue");
    const [queueId] = Object.keys(resourcesOf(stack, "aws_sqs_queue"));
    const queueArn = `${ref("aws_sqs_queue", queueId)}arn}`;
    const policies = Object.values(resourcesOf(stack, "aws_iam_policy")).filter((policy) => policy.name.startsWith(`${clusterName}-karpenter-`));

    it("has an encrypted interruption queue named after the cluster, keeping messages five minutes", () => {
      expect(queue).toMatchObject({ name: clusterName, message_retention_seconds: 300 });
      expect(queue.kms_master_key_id).toMatch(remoteKey("messaging"));
    });

    it("routes every interruption event type to the queue, one rule each", () => {
      const rules = Object.entries(resourcesOf(stack, "aws_cloudwatch_event_rule"));
      const patterns = rules.map(([, rule]) => rule.event_pattern).sort();
      expect(patterns).toEqual(
        Object.values(INTERRUPTION_EVENTS)
          .map((event) => JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }))
          .sort(),
      );
      const targets = Object.values(resourcesOf(stack, "aws_cloudwatch_event_target"));
      expect(targets).toHaveLength(rules.length);
      for (const [id] of rules) {
        expect(targets).toContainEqual(expect.objectContaining({ rule: `${ref("aws_cloudwatch_event_rule", id)}name}`, arn: queueArn }));
      }
    });

    it("admits only this account's EventBridge rules and SQS, over TLS", () => {
      const statements = JSON.parse(onlyResource(stack, "aws_sqs_queue_policy").policy).Statement;
      expect(statements.map((statement: StackJson) => [statement.Effect, statement.Principal])).toEqual([
        ["Allow", { Service: "events.amazonaws.com" }],
        ["Allow", { Service: "sqs.amazonaws.com" }],
        ["Deny", "*"],
      ]);
      for (const ruleId of Object.keys(resourcesOf(stack, "aws_cloudwatch_event_rule"))) {
        expect(statements[0].Condition.ArnEquals["aws:SourceArn"]).toContain(`${ref("aws_cloudwatch_event_rule", ruleId)}arn}`);
      }
      expect(statements[0].Condition.ArnEquals["aws:SourceArn"]).toHaveLength(Object.keys(INTERRUPTION_EVENTS).length);
      expect(statements[2].Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    });

    it("gives the controller the six reference policies, each under IAM's size limit", () => {
      expect(policies.map((policy) => policy.name).sort()).toEqual(
        ["eks-integration", "iam-integration", "interruption", "node-lifecycle", "resource-discovery", "zonal-shift"].map((p) => `${clusterName}-karpenter-${p}`),
      );
      for (const policy of policies) expect(estimatedPolicySize(policy.policy)).toBeLessThan(MANAGED_POLICY_MAX_CHARACTERS);
      const controller = roleId(stack, `${clusterName}-karpenter-controller`);
      const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter(
        (attachment) => attachment.role === `${ref("aws_iam_role", controller)}name}`,
      );
      expect(attached).toHaveLength(6);
    });

    it("may pass only the Karpenter node role, to EC2 only", () => {
      const statements = policies.flatMap((policy) => JSON.parse(policy.policy).Statement);
      const passRole = statements.filter((statement: StackJson) => [statement.Action].flat().includes("iam:PassRole"));
      expect(passRole).toEqual([
        {
          Sid: "AllowPassingInstanceRole",
          Effect: "Allow",
          Resource: `${ref("aws_iam_role", roleId(stack, `${clusterName}-karpenter-node`))}arn}`,
          Action: "iam:PassRole",
          Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        },
      ]);
    });

    it("scopes instance actions to resources tagged for this cluster", () => {
      const statements = policies.flatMap((policy) => JSON.parse(policy.policy).Statement);
      const deletion = statements.find((statement: StackJson) => statement.Sid === "AllowScopedDeletion");
      expect(deletion.Condition.StringEquals).toEqual({ [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" });
      const interruption = statements.find((statement: StackJson) => statement.Sid === "AllowInterruptionQueueActions");
      expect(interruption.Resource).toBe(queueArn);
    });

    it("passes the Resource wildcard guardrail without a suppression: every broad statement is scoped by a condition", () => {
      const findings = iamResourceWildcard
        .check(new SynthesizedStack(`${name}-cluster`, stack), STRICT_CONTEXT)
        .filter((finding) => resourcesOf(stack, "aws_iam_policy")[finding.address.split(".")[1]]?.name.startsWith(`${clusterName}-karpenter-`));
      expect(findings).toEqual([]);
      const zonalShift = Object.values(resourcesOf(stack, "aws_iam_policy")).find((p) => p.name === `${clusterName}-karpenter-zonal-shift`)!;
      const [statement] = JSON.parse(zonalShift.policy).Statement;
      expect(statement).toMatchObject({ Resource: "*", Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": expect.stringContaining(":cluster/") } } });
    });

    it("discovers the nodes' security group through its tag", () => {
      const group = Object.values(resourcesOf(stack, "aws_security_group")).find((g) => g.name === `${clusterName}-nodes`)!;
      expect(group.tags["karpenter.sh/discovery"]).toBe(clusterName);
    });
  });

  describe("connectivity", () => {
    const [nodesId] = Object.entries(resourcesOf(stack, "aws_security_group")).find(([, g]) => g.name === `${clusterName}-nodes`)!;
    const nodes = `${ref("aws_security_group", nodesId)}id}`;
    const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"));

    it("registers the nodes' security group with the metrics proxy and the warehouse", () => {
      const fromNodes = ingress.filter((rule) => rule.referenced_security_group_id === nodes && String(rule.security_group_id).includes("terraform_remote_state"));
      expect(fromNodes.map((rule) => rule.from_port).sort()).toEqual([5432, 5439]);
      expect(fromNodes.find((rule) => rule.from_port === 5432)!.security_group_id).toMatch(/metrics-proxy_security-group/);
      expect(fromNodes.find((rule) => rule.from_port === 5439)!.security_group_id).toMatch(/warehouse_security-group/);
    });

    it("lets nodes reach the API server, and the control plane reach only what serves it: kubelets, metrics-server and the webhooks", () => {
      expect(ingress).toContainEqual(expect.objectContaining({ referenced_security_group_id: nodes, from_port: 443, to_port: 443 }));
      const fromControlPlane = ingress.filter((rule) => rule.security_group_id === nodes && rule.referenced_security_group_id !== nodes);
      expect(fromControlPlane.map((rule) => [rule.from_port, rule.to_port]).sort(([a], [b]) => a - b)).toEqual([
        [9443, 9443],
        [10250, 10250],
      ]);
      expect(fromControlPlane.map((rule) => rule.description).sort()).toEqual([
        "Control plane to nodes: aws-load-balancer-controller admission webhooks, amazon-cloudwatch-observability operator webhook",
        "Control plane to nodes: kubelet API (logs, exec, port-forward), metrics-server (its aggregated API), external-secrets admission webhook",
      ]);
    });
  });
});

describe.each(ENVIRONMENT_NAMES)("%s-cluster security alarms", (name) => {
  const env = environment(name);
  const stack = synthesized[name][`${name}-cluster`];
  const filters = Object.fromEntries(Object.values(resourcesOf(stack, "aws_cloudwatch_log_metric_filter")).map((filter) => [filter.name, filter]));

  it("read the control plane's audit log for kubectl exec into the application's pods and RBAC changes outside the deploy role", () => {
    const exec = filters[`proteomics-${name}-kubectl-exec-into-app-pod`];
    const [groupId] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(([, group]) => group.name === `/aws/eks/proteomics-${name}-eks/cluster`)!;
    for (const filter of Object.values(filters) as StackJson[]) expect(filter.log_group_name).toBe(`${ref("aws_cloudwatch_log_group", groupId)}name}`);
    expect(exec.pattern).toContain(`$.objectRef.namespace = "${APP_NAMESPACE}"`);
    const rbac = filters[`proteomics-${name}-rbac-change-outside-deploy`];
    expect(rbac.pattern).toContain(`$.user.username != "arn:aws:sts::${env.awsAccountId}:assumed-role/proteomics-${name}-terraform-deploy/*"`);
    expect(rbac.pattern).toContain('$.objectRef.apiGroup = "rbac.authorization.k8s.io"');
  });
});
