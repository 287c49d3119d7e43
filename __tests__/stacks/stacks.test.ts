import { Testing } from "cdktf";
import { StateStack } from "../../stacks/state-stack";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, resourcesOf, synthApp, synthesizedStacks } from "../helpers/synth";
import { EnvironmentConfig } from "../../environments";

/** ARN of the alias of the environment's state key, as the backends name it. */
const stateKeyAlias = (env: EnvironmentConfig) => `arn:aws:kms:${env.region}:${env.awsAccountId}:alias/${env.project}-${env.name}-terraform-state`;

/** Every committed environment, synthesized once for this file. */
const synthesized = Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, synthesizedStacks(env.name)]));

const REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "Owner", "CostCenter", "DataClassification"];

describe.each(ENVIRONMENT_NAMES)("%s", (name) => {
  const env = environment(name);
  const stacks = synthesized[name];

  it("has one stack per layer built so far, named <env>-<layer>", () => {
    expect(Object.keys(stacks).sort()).toEqual(["apps", "cluster", "data", "identity", "network", "pipeline", "platform", "security", "state"].map((layer) => `${name}-${layer}`));
  });

  it.each(Object.keys(stacks))("%s: AWS provider pinned to the environment's account and region, with the runner's role", (stackName) => {
    const [provider] = stacks[stackName].provider.aws as StackJson[];
    expect(provider.region).toBe(env.region);
    expect(provider.allowed_account_ids).toEqual([env.awsAccountId]);
    // The runner's credentials choose the role (plan or deploy); the configuration names none.
    expect(provider.assume_role).toBeUndefined();
    expect(provider.default_tags).toEqual([
      {
        tags: {
          Project: env.project,
          Environment: env.name,
          ManagedBy: "cdktf",
          Owner: env.tags.owner,
          CostCenter: env.tags.costCenter,
          DataClassification: env.tags.dataClassification,
        },
      },
    ]);
    expect(Object.keys(provider.default_tags[0].tags).sort()).toEqual([...REQUIRED_TAGS].sort());
  });
});

describe("remote state isolation", () => {
  /** Every committed environment again, with its state stack already migrated into its bucket. */
  const migrated = ENVIRONMENTS.map((env) => {
    const app = Testing.app();
    new StateStack(app, { ...env, state: { ...env.state, bootstrapComplete: true } });
    return { env, stacks: { ...synthesized[env.name], ...synthApp(app) } };
  });

  it("bootstraps each state stack with a local backend outside cdktf.out", () => {
    for (const env of ENVIRONMENTS) {
      expect(synthesized[env.name][`${env.name}-state`].terraform.backend).toEqual({
        local: { path: `../../../terraform.${env.name}-state.tfstate` },
      });
    }
  });

  it.each(migrated.map(({ env, stacks }) => [env.name, env, stacks] as const))(
    "%s: every S3-backed stack uses only its own environment's bucket, table, region and account",
    (_name, env, stacks) => {
      const backends = Object.entries(stacks).map(([stackName, json]) => [stackName, json.terraform.backend.s3] as const);
      expect(backends.length).toBe(Object.keys(stacks).length);
      for (const [stackName, backend] of backends) {
        expect(backend).toEqual({
          bucket: env.state.bucketName,
          key: `${stackName}/terraform.tfstate`,
          region: env.region,
          encrypt: true,
          kms_key_id: stateKeyAlias(env),
          use_lockfile: true,
          dynamodb_table: `${env.project}-${env.name}-terraform-locks`,
          allowed_account_ids: [env.awsAccountId],
        });
        expect(stacks[stackName].terraform.required_version).toBe(">= 1.11.0, < 2.0.0");
      }
    },
  );

  it.each(migrated.map(({ env, stacks }) => [env.name, env, stacks] as const))(
    "%s: state is encrypted with the key the state stack creates, under the alias the backends name",
    (_name, env, stacks) => {
      const aliases = Object.values(resourcesOf(stacks[`${env.name}-state`], "aws_kms_alias")).map((alias) => alias.name);
      expect(aliases).toEqual([stateKeyAlias(env).split(":").pop()]);
      const remoteStates = Object.values(stacks).flatMap((json) => Object.values(json.data?.terraform_remote_state ?? {})) as StackJson[];
      for (const remote of remoteStates) expect(remote.config).toMatchObject({ encrypt: true, kms_key_id: stateKeyAlias(env) });
    },
  );

  it("never shares a bucket, a lock table or a state key between environments", () => {
    const backends = migrated.flatMap(({ env, stacks }) =>
      Object.values(stacks).map((json) => ({ env: env.name, ...json.terraform.backend.s3 })),
    );
    const owners = (field: string) => {
      const byValue = new Map<string, Set<string>>();
      for (const backend of backends) byValue.set(backend[field], (byValue.get(backend[field]) ?? new Set()).add(backend.env));
      return [...byValue.values()].map((envs) => envs.size);
    };
    expect(owners("bucket").every((count) => count === 1)).toBe(true);
    expect(owners("dynamodb_table").every((count) => count === 1)).toBe(true);
    const keys = backends.map((backend) => `${backend.bucket}/${backend.key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(migrated.map(({ env, stacks }) => [env.name, env, stacks] as const))(
    "%s: cross-stack references read only the same environment's state",
    (_name, env, stacks) => {
      const remoteStates = Object.values(stacks).flatMap((json) => Object.values(json.data?.terraform_remote_state ?? {})) as StackJson[];
      expect(remoteStates.length).toBeGreaterThan(0);
      for (const remote of remoteStates) {
        expect(remote.backend).toBe("s3");
        expect(remote.config.bucket).toBe(env.state.bucketName);
        expect(remote.config.allowed_account_ids).toEqual([env.awsAccountId]);
        expect(remote.config.key).toMatch(new RegExp(`^${env.name}-[a-z]+/terraform\\.tfstate$`));
      }
    },
  );
});
