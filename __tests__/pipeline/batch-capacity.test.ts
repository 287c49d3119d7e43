import { knownKeysAt } from "../../environments/known-keys";
import { workloadEnvironmentSchema } from "../../environments/schema";
import { SCRATCH_PATH, TMP_PATH } from "../../modules/pipeline/analysis-job";
import { TASK_CLEANUP_WAIT } from "../../modules/pipeline/batch-compute";
import {
  GP3_MAX_GIB,
  INSTANCE_FAMILIES,
  OS_AND_IMAGES_RESERVE_GIB,
  jobsPerInstance,
  largestInstance,
  planInstanceVolume,
} from "../../modules/pipeline/instance-families";
import { ENVIRONMENT_NAMES, environment, problemsAfter } from "../helpers/environments";
import { StackJson, onlyResource, resourcesOf, synthesizedStacks } from "../helpers/synth";

describe("the capacity model", () => {
  it("knows the largest size of every family, with the memory per vCPU of its class", () => {
    const perVcpu = { c: 2, m: 4, r: 8 } as Record<string, number>;
    for (const [family, capacity] of Object.entries(INSTANCE_FAMILIES)) {
      expect(capacity.largest.startsWith(`${family}.`)).toBe(true);
      expect(capacity.memoryGiB).toBe(capacity.vcpus * perVcpu[family[0]]);
    }
    expect(largestInstance("r7i")).toEqual({ largest: "r7i.48xlarge", vcpus: 192, memoryGiB: 1536 });
    expect(largestInstance("c6i.metal")).toEqual(INSTANCE_FAMILIES.c6i);
  });

  it("sizes a listed instance type by its own vCPUs and memory", () => {
    expect(largestInstance("c7i.4xlarge")).toEqual({ largest: "c7i.4xlarge", vcpus: 16, memoryGiB: 32 });
    expect(largestInstance("m6i.large")).toEqual({ largest: "m6i.large", vcpus: 2, memoryGiB: 8 });
    expect(() => largestInstance("c6i.48xlarge")).toThrow('"c6i.48xlarge" is not a size of the c6i family (largest c6i.32xlarge)');
  });

  it("fits jobs on an instance by vCPUs and by memory, whichever runs out first", () => {
    expect(jobsPerInstance(INSTANCE_FAMILIES.c7i, { vcpus: 4, memoryMiB: 16384 })).toBe(24); // memory-bound: 384 / 16
    expect(jobsPerInstance(INSTANCE_FAMILIES.r7i, { vcpus: 4, memoryMiB: 16384 })).toBe(48); // vCPU-bound: 192 / 4
    expect(jobsPerInstance(INSTANCE_FAMILIES.m6i, { vcpus: 3, memoryMiB: 100_000 })).toBe(5); // floor(524288 / 100000)
  });

  it("takes the reserve plus the most scratch any listed instance needs at once", () => {
    const plan = planInstanceVolume(["c7i", "m7i"], {
      small: { vcpus: 1, memoryMiB: 2048, scratchGiB: 1 },
      large: { vcpus: 8, memoryMiB: 65536, scratchGiB: 100 },
    });
    // m7i.48xlarge: min(192 / 8, 768 / 64) = 12 large jobs x 100 GiB beats 192 small jobs x 1 GiB.
    expect(plan).toEqual({ volumeGiB: OS_AND_IMAGES_RESERVE_GIB + 1200, job: "large", jobsPerInstance: 12, instance: INSTANCE_FAMILIES.m7i });
  });
});

describe.each(ENVIRONMENT_NAMES)("%s: Batch instance volume", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-pipeline`];

  it("is the reserve plus, over the largest instance of each family and each job size, jobs per instance x scratch", () => {
    let expected = 0;
    for (const entry of env.pipeline.instanceTypes) {
      const { vcpus, memoryGiB } = largestInstance(entry);
      for (const job of Object.values(env.pipeline.jobs)) {
        const fit = Math.min(Math.floor(vcpus / job.vcpus), Math.floor((memoryGiB * 1024) / job.memoryMiB));
        expected = Math.max(expected, OS_AND_IMAGES_RESERVE_GIB + fit * job.scratchGiB);
      }
    }
    expect(env.pipeline.instanceVolumeGiB).toBe(expected);
    expect(expected).toBeLessThanOrEqual(GP3_MAX_GIB);
    expect(onlyResource(stack, "aws_launch_template").block_device_mappings[0].ebs.volume_size).toBe(expected);
  });

  it("gives every job a scratch budget, identify (the raw files) the largest", () => {
    const { identify, aggregate, publishMetrics } = env.pipeline.jobs;
    expect(identify.scratchGiB).toBeGreaterThanOrEqual(aggregate.scratchGiB);
    expect(aggregate.scratchGiB).toBeGreaterThanOrEqual(publishMetrics.scratchGiB);
  });
});

describe("instance volume config errors", () => {
  it("refuses a family the capacity table does not know, naming the family and the table", () => {
    expect(problemsAfter((envs) => (envs.staging.pipeline.instanceTypes = ["c7i", "x2idn"]))).toEqual([
      'staging: pipeline.instanceTypes.1: instance family "x2idn" is not in the capacity table (modules/pipeline/instance-families.ts: c6i, c7i, m6i, m7i, r6i, r7i); add its largest size there',
    ]);
  });

  it("refuses a size its family does not have", () => {
    expect(problemsAfter((envs) => (envs.dev.pipeline.instanceTypes = ["c6i.48xlarge"]))).toEqual([
      'dev: pipeline.instanceTypes.0: "c6i.48xlarge" is not a size of the c6i family (largest c6i.32xlarge)',
    ]);
  });

  it("refuses scratch that would need a volume larger than gp3 allows, with the arithmetic (the first of equal instances)", () => {
    expect(
      problemsAfter((envs) => (envs.dev.pipeline.jobs = { ...envs.dev.pipeline.jobs, identify: { ...envs.dev.pipeline.jobs.identify, scratchGiB: 400 } })),
    ).toEqual([
      "dev: pipeline.jobs.identify.scratchGiB: must keep the Batch instance volume within gp3's 16384 GiB: 30 GiB reserve + 48 jobs x 400 GiB on m7i.48xlarge (192 vCPUs, 768 GiB) = 19230 GiB",
    ]);
  });

  it("needs a scratch budget for every job, and no hand-set volume", () => {
    expect(
      problemsAfter((envs) => {
        delete (envs.dev.pipeline.jobs.aggregate as Partial<typeof envs.dev.pipeline.jobs.aggregate>).scratchGiB;
        (envs.dev.pipeline as Record<string, unknown>).instanceVolumeGiB = 500;
      }),
    ).toEqual([
      `dev: pipeline.instanceVolumeGiB: is not a known setting (known here: ${knownKeysAt(workloadEnvironmentSchema, ["pipeline"]).join(", ")})`,
      "dev: pipeline.jobs.aggregate.scratchGiB: must be a number",
    ]);
  });
});

describe.each(ENVIRONMENT_NAMES)("%s: per-job scratch", (name) => {
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const definitions = Object.values(resourcesOf(stack, "aws_batch_job_definition"));
  const container = (definition: StackJson) => JSON.parse(definition.container_properties);

  it("mounts /scratch and /tmp as Docker-managed volumes of the job (no host path), writable under a read-only root", () => {
    expect(definitions.length).toBeGreaterThan(0);
    for (const definition of definitions) {
      const properties = container(definition);
      expect(properties.readonlyRootFilesystem).toBe(true);
      for (const volume of properties.volumes) expect(volume).toEqual({ name: volume.name });
      expect(properties.volumes.map((volume: StackJson) => volume.name).sort()).toEqual(["scratch", "tmp"]);
      expect(properties.mountPoints).toEqual([
        { sourceVolume: "scratch", containerPath: SCRATCH_PATH, readOnly: false },
        { sourceVolume: "tmp", containerPath: TMP_PATH, readOnly: false },
      ]);
      const variables = Object.fromEntries(properties.environment.map((variable: StackJson) => [variable.name, variable.value]));
      expect(variables).toMatchObject({ SCRATCH_DIR: "/scratch", TMPDIR: "/tmp" });
    }
  });

  it("keeps earlier revisions active when a deploy registers a new one", () => {
    for (const definition of definitions) expect(definition.deregister_on_new_revision).toBe(false);
  });

  it("has the ECS agent remove stopped jobs' volumes soon, through MIME multi-part user data", () => {
    const template = onlyResource(stack, "aws_launch_template");
    const userData = Buffer.from(template.user_data, "base64").toString("utf8");
    const [headers, ...rest] = userData.split("\n\n");
    expect(headers).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="([^"]+)"$/);
    const boundary = /boundary="([^"]+)"/.exec(headers)![1];
    const body = rest.join("\n\n");
    const parts = body.split(`--${boundary}`);
    expect(parts[0]).toBe("");
    expect(parts[parts.length - 1]).toBe("--\n");
    const scripts = parts.slice(1, -1).filter((part) => part.includes("Content-Type: text/x-shellscript"));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toContain("#!/bin/bash\n");
    expect(scripts[0]).toContain(`echo "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=${TASK_CLEANUP_WAIT}" >> /etc/ecs/ecs.config\n`);
    expect(TASK_CLEANUP_WAIT).toMatch(/^([1-9]|[1-5]\d)m$/);
  });
});
