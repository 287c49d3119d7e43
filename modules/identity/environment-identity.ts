import { IamRole as IamRoleResource } from "@cdktf/provider-aws/lib/iam-role";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { suppressGuardrail } from "../guardrails/suppressions";
import { IamRole } from "../iam/iam-role";
import { ManagedPolicy, estimatedPolicySize } from "../iam/managed-policy";
import { PolicyStatement, policyDocument } from "../iam/policy-document";
import { deployRoleStatements } from "./deploy-permissions";
import { ADMINISTRATOR_ACCESS, VIEW_ONLY_ACCESS, humanTrust, principalTrust } from "./human-trust";
import { IdentityRoleKind, identityRoleArn, identityRoleName, workloadBoundaryArn, workloadBoundaryName } from "./identity-names";
import { IdentityStatement } from "./identity-statement";
import { planRoleStatements } from "./plan-permissions";
import { IdentityScope, StateLocation } from "./state-access";
import { workloadBoundaryStatements } from "./workload-boundary";

/** IAM's limit on a role's inline policies, in characters (whitespace excluded), all of them together. */
export const INLINE_ROLE_POLICY_MAX_CHARACTERS = 10240;

/** IAM's default limit on a role's trust policy, in characters (whitespace excluded); a quota increase can double it. */
export const TRUST_POLICY_MAX_CHARACTERS = 2048;

/** Longest session of the automation roles and of break-glass: the most a chained role session gets anyway. */
export const AUTOMATION_SESSION_SECONDS = 3600;

/** Who runs Terraform for the environment: Atlantis's two tasks in the tooling account. */
export interface IdentityAutomation {
  /** The shared-services account that runs Atlantis. */
  readonly toolingAccountId: string;
  /** Task role of Atlantis's planner (runs `terraform plan` for pull requests): the only automation that may assume the plan role. */
  readonly plannerRoleArn: string;
  /** Task role of Atlantis's applier (runs `terraform apply` of approved plans): the only principal that may assume the deploy role. */
  readonly applierRoleArn: string;
}

export interface EnvironmentIdentityProps {
  /** `<project>-<env>`: the prefix of every role and policy name of the environment. */
  readonly namePrefix: string;
  /** The environment's account, where the roles live. */
  readonly accountId: string;
  /** The environment's region (state bucket, lock table and key). */
  readonly region: string;
  /** The environment's Terraform state, which the plan role reads and locks and the deploy role may not reconfigure. */
  readonly state: StateLocation;
  /** Atlantis's tasks: creates the plan and deploy roles. @default none (the tooling account: human roles and boundary only) */
  readonly automation?: IdentityAutomation;
  /** Longest session of platform-admin and developer, in seconds (3,600 to 43,200; a session chained from another role gets one hour whatever this says). @default 3600 */
  readonly humanSessionSeconds?: number;
  /**
   * IAM Identity Center permission sets, by human role, whose provisioned roles may assume the role without the MFA
   * condition (Identity Center enforces MFA at sign-in). Break-glass never admits them: it is for when Identity Center
   * is unavailable. @default none (IAM principals with MFA only)
   */
  readonly identityCenterPermissionSets?: { readonly platformAdmin?: readonly string[]; readonly developer?: readonly string[] };
}

/**
 * The IAM identities of one environment account, applied by hand with admin credentials (the bootstrap identity
 * stack) before anything else runs there:
 *
 * - `<prefix>-terraform-plan`: Atlantis's planner (and engineers through their developer or platform-admin role)
 *   reads the configuration of every service the stacks use, reads the state and takes its locks; no data, no secret,
 *   no credential, no write.
 * - `<prefix>-terraform-deploy`: Atlantis's applier changes everything but IAM; in IAM, only roles named
 *   `<prefix>-*` that carry the workload boundary, the environment's own policies, instance profiles and
 *   service-linked roles; never the identity roles, the boundary or the state layer.
 * - `<prefix>-workload-boundary`: the permissions boundary of every role the other stacks create (no IAM writes but
 *   instance profiles, no identity roles, no Organizations or account settings).
 * - `<prefix>-platform-admin`, `<prefix>-developer`, `<prefix>-break-glass`: people, with MFA.
 *
 * The identity roles carry no boundary: the deploy role's denies and the hand-applied stack protect them.
 */
export class EnvironmentIdentity extends Construct {
  /** Plan role; undefined without `automation`. */
  readonly planRole?: IamRole;
  /** Deploy role; undefined without `automation`. */
  readonly deployRole?: IamRole;
  /** Administrators: apply the hand-applied layers (state, identity). */
  readonly platformAdminRole: IamRole;
  /** Engineers: view-only. */
  readonly developerRole: IamRole;
  /** Sealed emergency administrator access. */
  readonly breakGlassRole: IamRole;
  /** The workload permissions boundary policy. */
  readonly boundary: ManagedPolicy;
  /** ARN of the workload permissions boundary, known without a reference (`workloadBoundaryArn`). */
  readonly boundaryArn: string;

  constructor(scope: Construct, id: string, props: EnvironmentIdentityProps) {
    super(scope, id);
    const problems = validate(props);
    if (problems.length > 0) {
      throw new Error(`Invalid identity configuration at ${this.node.path} (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    }
    const { namePrefix, accountId } = props;
    const identity: IdentityScope = { namePrefix, accountId, region: props.region, state: props.state };
    const roleName = (kind: IdentityRoleKind) => identityRoleName(namePrefix, kind);
    const humanSessionSeconds = props.humanSessionSeconds ?? 3600;

    this.boundaryArn = workloadBoundaryArn(accountId, namePrefix);
    this.boundary = new ManagedPolicy(this, "workload-boundary", {
      policyName: workloadBoundaryName(namePrefix),
      description: `Permissions boundary of every role the stacks of ${namePrefix} create: no IAM writes but instance profiles, no identity roles, no Organizations or account settings`,
      statements: workloadBoundaryStatements(accountId, namePrefix),
    });
    const boundaryReason =
      'A permissions boundary is a ceiling, not a grant: it allows "*" and denies the escapes (IAM writes, identity roles, Organizations); each bounded role gets only what its own least-privilege policy allows';
    suppressGuardrail(this.boundary, "iam-no-action-wildcard", boundaryReason);
    suppressGuardrail(this.boundary, "iam-resource-wildcard", boundaryReason);

    this.platformAdminRole = new IamRole(this, "platform-admin", {
      roleName: roleName("platformAdmin"),
      description: `Administrators of ${namePrefix}, with MFA: apply the hand-applied layers (state, identity) and operate the environment`,
      trust: checkedTrust(roleName("platformAdmin"), humanTrust(accountId, props.identityCenterPermissionSets?.platformAdmin)),
      managedPolicyArns: [ADMINISTRATOR_ACCESS],
      maxSessionDuration: humanSessionSeconds,
    });
    this.developerRole = new IamRole(this, "developer", {
      roleName: roleName("developer"),
      description: `Engineers of ${namePrefix}, with MFA: view-only (describe and list, no data), and local plans through the plan role`,
      trust: checkedTrust(roleName("developer"), humanTrust(accountId, props.identityCenterPermissionSets?.developer)),
      managedPolicyArns: [VIEW_ONLY_ACCESS],
      maxSessionDuration: humanSessionSeconds,
    });
    this.breakGlassRole = new IamRole(this, "break-glass", {
      roleName: roleName("breakGlass"),
      description: `SEALED emergency administrator access to ${namePrefix}, with MFA, for when every other way in is broken. Every assumption is an incident: alarmed on (CloudTrail) and reviewed; rotate its credentials after use`,
      trust: checkedTrust(roleName("breakGlass"), humanTrust(accountId)),
      managedPolicyArns: [ADMINISTRATOR_ACCESS],
      maxSessionDuration: AUTOMATION_SESSION_SECONDS,
    });

    if (props.automation) {
      const { toolingAccountId, plannerRoleArn, applierRoleArn } = props.automation;
      const engineers = [identityRoleArn(accountId, namePrefix, "developer"), identityRoleArn(accountId, namePrefix, "platformAdmin")];
      this.planRole = new IamRole(this, "terraform-plan", {
        roleName: roleName("plan"),
        description: `terraform plan for ${namePrefix}: reads configuration and the state, takes the state locks; no data, secrets or credentials`,
        trust: checkedTrust(roleName("plan"), [
          principalTrust("AtlantisPlanner", toolingAccountId, [plannerRoleArn]),
          principalTrust("EngineersPlanLocally", accountId, engineers),
        ]),
        statements: checkedInlinePolicy(roleName("plan"), planRoleStatements(identity)),
        maxSessionDuration: AUTOMATION_SESSION_SECONDS,
      });
      // ViewOnlyAccess grants no sts:AssumeRole: the trust above admits developers, this lets them use it.
      this.developerRole.addToPolicy({ Sid: "PlanLocally", Effect: "Allow", Action: "sts:AssumeRole", Resource: identityRoleArn(accountId, namePrefix, "plan") });
      suppressGuardrail(
        this.planRole,
        "iam-resource-wildcard",
        'A plan refreshes every resource of every stack: read-only Describe*/Get*/List* on "*" for the services the stacks use, with explicit denies of every data and credential read',
      );
      suppressGuardrail(this.planRole, "s3-object-grants-prefixed", "A plan reads the state of every stack of the environment: the state bucket is the environment's own and holds nothing else");
      this.deployRole = new IamRole(this, "terraform-deploy", {
        roleName: roleName("deploy"),
        description: `terraform apply for ${namePrefix}: everything but IAM, and in IAM only bounded ${namePrefix}-* roles; never the identity roles, the boundary or the state layer`,
        trust: checkedTrust(roleName("deploy"), [principalTrust("AtlantisApplier", toolingAccountId, [applierRoleArn])]),
        statements: checkedInlinePolicy(roleName("deploy"), deployRoleStatements(identity)),
        maxSessionDuration: AUTOMATION_SESSION_SECONDS,
      });
      suppressGuardrail(
        this.deployRole,
        "iam-resource-wildcard",
        'An apply creates resources of every service the stacks use (NotAction iam:*, organizations:*, account:* on "*") and reads IAM (Get*/List* on "*"); IAM writes are scoped to <prefix>-* under the boundary condition',
      );
    }

    // The workload boundary denies IAM writes: on the deploy role it would stop every apply, on the administrators
    // every repair. A boundary Aspect added to this stack would set it; refuse the synth instead.
    const roles = [this.planRole, this.deployRole, this.platformAdminRole, this.developerRole, this.breakGlassRole].filter((role): role is IamRole => role !== undefined);
    this.node.addValidation({
      validate: () =>
        roles
          .filter((role) => (role.node.findChild("role") as IamRoleResource).permissionsBoundaryInput !== undefined)
          .map((role) => `${role.node.path}: an identity role must carry no permissions boundary (do not add the boundary Aspect to the identity stack)`),
    });
  }
}

/** The statements, refused if the role's inline policy would exceed IAM's limit. */
function checkedInlinePolicy(roleName: string, statements: readonly IdentityStatement[]): PolicyStatement[] {
  const size = estimatedPolicySize(policyDocument(statements));
  if (size > INLINE_ROLE_POLICY_MAX_CHARACTERS) {
    throw new Error(`The inline policy of ${roleName} would be ${size} characters, over IAM's ${INLINE_ROLE_POLICY_MAX_CHARACTERS} per role`);
  }
  return [...statements];
}

/** The trust statements, refused if the trust policy would exceed IAM's default limit. */
function checkedTrust(roleName: string, statements: readonly PolicyStatement[]): PolicyStatement[] {
  const size = estimatedPolicySize(policyDocument(statements));
  if (size > TRUST_POLICY_MAX_CHARACTERS) {
    throw new Error(`The trust policy of ${roleName} would be ${size} characters, over IAM's default ${TRUST_POLICY_MAX_CHARACTERS}: list fewer principals`);
  }
  return [...statements];
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const NAME_PREFIX = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(?:key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;
/** The longest suffix an identity name adds to the prefix (`-terraform-deploy`), and IAM's role name limit. */
const LONGEST_ROLE_SUFFIX = "-terraform-deploy".length;
const ROLE_NAME_MAX = 64;

/** Every problem of `props`, as `field: rule (got value)`. */
function validate(props: EnvironmentIdentityProps): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, rule: string, value: unknown) => {
    if (!ok) problems.push(`${field}: ${rule} (got ${JSON.stringify(value)})`);
  };
  const literal = (value: string) => !Token.isUnresolved(value);
  check(NAME_PREFIX.test(props.namePrefix), "namePrefix", "must be <project>-<env>: lowercase letters, digits and single hyphens", props.namePrefix);
  check(
    props.namePrefix.length + LONGEST_ROLE_SUFFIX <= ROLE_NAME_MAX,
    "namePrefix",
    `must be at most ${ROLE_NAME_MAX - LONGEST_ROLE_SUFFIX} characters, so that <prefix>-terraform-deploy fits IAM's ${ROLE_NAME_MAX}`,
    props.namePrefix,
  );
  check(ACCOUNT_ID.test(props.accountId), "accountId", "must be exactly 12 digits", props.accountId);
  check(REGION.test(props.region), "region", "must be an AWS region name such as sa-east-1", props.region);
  const { bucketName, keyArn, lockTableName } = props.state;
  if (literal(bucketName)) check(BUCKET_NAME.test(bucketName), "state.bucketName", "must be an S3 bucket name", bucketName);
  if (literal(lockTableName)) check(TABLE_NAME.test(lockTableName), "state.lockTableName", "must be a DynamoDB table name", lockTableName);
  if (literal(keyArn)) {
    const match = KEY_ARN.exec(keyArn);
    check(match !== null, "state.keyArn", "must be a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id> or :alias/<name>) or a reference", keyArn);
    if (match) {
      check(match[1] === props.region, "state.keyArn", `must be a key of the environment's region ${props.region}`, keyArn);
      check(match[2] === props.accountId, "state.keyArn", `must be a key of the environment's account ${props.accountId}`, keyArn);
    }
  }
  if (props.humanSessionSeconds !== undefined) {
    const seconds = props.humanSessionSeconds;
    check(Number.isInteger(seconds) && seconds >= 3600 && seconds <= 43200, "humanSessionSeconds", "must be a whole number of seconds from 3600 to 43200", seconds);
  }
  if (props.automation) {
    const { toolingAccountId, plannerRoleArn, applierRoleArn } = props.automation;
    check(ACCOUNT_ID.test(toolingAccountId), "automation.toolingAccountId", "must be exactly 12 digits", toolingAccountId);
    check(
      toolingAccountId !== props.accountId,
      "automation.toolingAccountId",
      "must be another account than the environment's (the tooling account gets no automation roles)",
      toolingAccountId,
    );
    for (const [field, arn] of [
      ["automation.plannerRoleArn", plannerRoleArn],
      ["automation.applierRoleArn", applierRoleArn],
    ] as const) {
      if (typeof arn === "string" && !literal(arn)) continue;
      const match = ROLE_ARN.exec(arn ?? "");
      check(match !== null, field, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or a reference", arn);
      if (match) check(match[1] === toolingAccountId, field, `must be a role of the tooling account ${toolingAccountId}`, arn);
    }
    check(plannerRoleArn !== applierRoleArn, "automation.applierRoleArn", "must differ from the planner's role: a plan must never run with apply credentials", applierRoleArn);
  }
  return problems;
}
