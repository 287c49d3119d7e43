import { PLAN_READERS_ROLE } from "../../modules/platform/plan-reader-names";
import { identityRoleArn } from "../../stacks/naming";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

// AmazonEKSViewPolicy leaves out custom resources and admission policies; a plan that cannot read an object its stack
// manages through kubernetes_manifest fails on refresh. The platform stack's ClusterRole fills exactly that gap.

/** The resource (plural) of a kind, as RBAC names it. */
function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith("s")) return `${lower}es`;
  return `${lower}s`;
}

/** Whether a ClusterRole's rules allow `verb` on this object. */
function allows(rules: StackJson[], manifest: StackJson, verb: string): boolean {
  const group = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/")[0] : "";
  return rules.some(
    (rule) =>
      rule.apiGroups.includes(group) &&
      rule.resources.includes(resourceOf(manifest.kind)) &&
      rule.verbs.includes(verb) &&
      (rule.resourceNames === undefined || rule.resourceNames.includes(manifest.metadata.name)),
  );
}

describe("resourceOf", () => {
  it.each([
    ["NodePool", "nodepools"],
    ["EC2NodeClass", "ec2nodeclasses"],
    ["ValidatingAdmissionPolicy", "validatingadmissionpolicies"],
    ["ExternalSecret", "externalsecrets"],
  ])("%s is %s", (kind, resource) => expect(resourceOf(kind)).toBe(resource));
});

describe.each(ENVIRONMENT_NAMES)("%s plan readers", (name) => {
  const stacks = synthesizedStacks(name);
  const platform = stacks[`${name}-platform`];
  const manifests = Object.entries(resourcesOf(platform, "kubernetes_manifest"));
  const [roleId, role] = manifests.find(([, resource]) => resource.manifest.kind === "ClusterRole" && resource.manifest.metadata.name === PLAN_READERS_ROLE)!;
  const [, binding] = manifests.find(([, resource]) => resource.manifest.kind === "ClusterRoleBinding" && resource.manifest.metadata.name === PLAN_READERS_ROLE)!;
  const rules: StackJson[] = role.manifest.rules;
  const managed = Object.entries(stacks).flatMap(([stackName, stack]) =>
    Object.values(resourcesOf(stack, "kubernetes_manifest")).map((resource) => ({ stackName, manifest: resource.manifest as StackJson })),
  );

  it("lets a plan read every object any stack manages through kubernetes_manifest", () => {
    expect(managed.length).toBeGreaterThan(0);
    const unreadable = managed.filter(({ manifest }) => !allows(rules, manifest, "get")).map(({ stackName, manifest }) => `${stackName}: ${manifest.kind}/${manifest.metadata.name}`);
    expect(unreadable).toEqual([]);
  });

  it("reads only: no write verb, no wildcard, nothing of the core group (Secrets), and RBAC objects by name", () => {
    for (const rule of rules) {
      expect(rule.verbs.every((verb: string) => ["get", "list", "watch"].includes(verb))).toBe(true);
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain("*");
      expect(rule.apiGroups).not.toContain("");
      if (rule.apiGroups.includes("rbac.authorization.k8s.io")) expect(rule.resourceNames).toEqual([PLAN_READERS_ROLE]);
    }
  });

  it("binds the group that the cluster stack puts on the plan role's access entry, and no other role's", () => {
    const entries = Object.values(resourcesOf(stacks[`${name}-cluster`], "aws_eks_access_entry")).filter((entry) => entry.kubernetes_groups !== undefined);
    expect(entries.map((entry) => entry.principal_arn)).toEqual([identityRoleArn(environment(name), "plan")]);
    expect(binding.manifest.subjects).toEqual(entries[0].kubernetes_groups.map((group: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group })));
    expect(binding.manifest.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PLAN_READERS_ROLE });
    expect(binding.depends_on).toEqual([`kubernetes_manifest.${roleId}`]);
  });
});
