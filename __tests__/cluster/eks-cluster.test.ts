import { TerraformStack, Testing } from "cdktf";
import { AccessGrant, EksCluster } from "../../modules/cluster/eks-cluster";
import { EncryptionKey } from "../../modules/kms/kms-key";
import { resourcesOf } from "../helpers/synth";

const PLAN = "arn:aws:iam::111122223333:role/p-dev-plan";
const DEVELOPER = "arn:aws:iam::111122223333:role/p-dev-developer";

/** An EksCluster in a fresh stack with these grants and entry groups; returns the synthesized stack. */
function clusterWith(accessGrants: AccessGrant[], accessEntryGroups?: Record<string, string[]>) {
  const stack = new TerraformStack(Testing.app(), "cluster");
  const key = (purpose: string) =>
    new EncryptionKey(stack, `key-${purpose}`, { namePrefix: "p-dev", purpose, description: "test", accountId: "111122223333", region: "sa-east-1", viaServices: ["eks"] });
  new EksCluster(stack, "eks", {
    clusterName: "p-dev-eks",
    kubernetesVersion: "1.36",
    accountId: "111122223333",
    region: "sa-east-1",
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    endpointPublicAccess: false,
    publicAccessCidrs: [],
    secretsKey: key("secrets"),
    logsKey: key("logs"),
    logRetentionDays: 30,
    upgradeSupportType: "STANDARD",
    deletionProtection: true,
    accessGrants,
    accessEntryGroups,
  });
  return JSON.parse(Testing.synth(stack));
}

describe("EksCluster access entry groups", () => {
  it("puts the groups on the named role's entry only, once however many policies it has", () => {
    const stack = clusterWith(
      [
        { principalArn: PLAN, policy: "viewer" },
        { principalArn: PLAN, policy: "adminViewer", namespaces: ["kube-system"] },
        { principalArn: DEVELOPER, policy: "viewer" },
      ],
      { [PLAN]: ["proteomics:readers"] },
    );
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry"));
    expect(entries).toHaveLength(2);
    expect(Object.fromEntries(entries.map((entry) => [entry.principal_arn, entry.kubernetes_groups ?? []]))).toEqual({ [PLAN]: ["proteomics:readers"], [DEVELOPER]: [] });
  });

  it("refuses a system: group, which would bind the role to Kubernetes' own groups", () => {
    expect(() => clusterWith([{ principalArn: PLAN, policy: "viewer" }], { [PLAN]: ["system:masters"] })).toThrow(
      `EksCluster p-dev-eks: access entry group "system:masters" of ${PLAN} starts with "system:"; bind a group of your own instead`,
    );
  });

  it("refuses groups for a role that has no access grant, instead of dropping them", () => {
    expect(() => clusterWith([{ principalArn: DEVELOPER, policy: "viewer" }], { [PLAN]: ["proteomics:readers"] })).toThrow(
      `EksCluster p-dev-eks: access entry groups for ${PLAN}, which has no access grant (no entry to put them on)`,
    );
  });
});
