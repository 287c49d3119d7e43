/**
 * The capacity model of the Batch instances: how many jobs of one size the largest instance Batch may launch can
 * run at once, and so how much scratch space its root volume needs. Every job on an instance stages its files on
 * that instance's one root volume (the launch template's), so the volume is sized for the fullest instance.
 */

/** The largest size of an EC2 instance family: what Batch may launch when a family is listed. */
export interface InstanceFamilyCapacity {
  /** The largest (non-metal) size, e.g. `c7i.48xlarge`. */
  readonly largest: string;
  /** Its vCPUs. */
  readonly vcpus: number;
  /** Its memory, GiB. */
  readonly memoryGiB: number;
}

/**
 * Largest size of each instance family the pipeline may list in `pipeline.instanceTypes`. Sources: the EC2
 * instance type pages (https://aws.amazon.com/ec2/instance-types/c6i/, .../c7i/, .../m6i/, .../m7i/, .../r6i/,
 * .../r7i/) and `aws ec2 describe-instance-types --instance-types <type>` (VCpuInfo.DefaultVCpus,
 * MemoryInfo.SizeInMiB / 1024). The metal sizes have the same vCPUs and memory. Add a family here before listing it.
 */
export const INSTANCE_FAMILIES: Readonly<Record<string, InstanceFamilyCapacity>> = {
  c6i: { largest: "c6i.32xlarge", vcpus: 128, memoryGiB: 256 },
  c7i: { largest: "c7i.48xlarge", vcpus: 192, memoryGiB: 384 },
  m6i: { largest: "m6i.32xlarge", vcpus: 128, memoryGiB: 512 },
  m7i: { largest: "m7i.48xlarge", vcpus: 192, memoryGiB: 768 },
  r6i: { largest: "r6i.32xlarge", vcpus: 128, memoryGiB: 1024 },
  r7i: { largest: "r7i.48xlarge", vcpus: 192, memoryGiB: 1536 },
};

/** Where the table lives, for messages. */
export const INSTANCE_FAMILIES_SOURCE = "modules/pipeline/instance-families.ts";

/** GiB of each instance's root volume kept for the OS, the ECS agent, Docker and the analysis image's layers. */
export const OS_AND_IMAGES_RESERVE_GIB = 30;

/** gp3's largest volume, GiB. */
export const GP3_MAX_GIB = 16384;

/** One job size of the capacity model. */
export interface JobCapacityNeeds {
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Scratch space one job uses, GiB. */
  readonly scratchGiB: number;
}

/** An instance type (or family) the capacity model cannot place: not in the table, or not a size of its family. */
export class InstanceCapacityError extends Error {
  constructor(
    /** Index of the offending entry in the instance type list. */
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = "InstanceCapacityError";
  }
}

/** vCPUs of a size name in these families: `large` 2, `xlarge` 4, `<n>xlarge` 4n. */
export function sizeVcpus(size: string): number | undefined {
  if (size === "large") return 2;
  if (size === "xlarge") return 4;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? 4 * Number(multiple[1]) : undefined;
}

/**
 * The largest instance Batch may launch for one entry of `instanceTypes`: the family's largest size for a family
 * (`c7i`) or a metal size, the size itself for a type (`c7i.4xlarge`; these families have a fixed memory per vCPU).
 */
export function largestInstance(entry: string, index = 0): InstanceFamilyCapacity {
  const [family, size] = entry.split(".");
  const capacity = INSTANCE_FAMILIES[family];
  if (capacity === undefined) {
    throw new InstanceCapacityError(
      index,
      `instance family "${family}" is not in the capacity table (${INSTANCE_FAMILIES_SOURCE}: ${Object.keys(INSTANCE_FAMILIES).join(", ")}); add its largest size there`,
    );
  }
  if (size === undefined || size.startsWith("metal")) return capacity;
  const vcpus = sizeVcpus(size);
  if (vcpus === undefined || vcpus > capacity.vcpus) {
    throw new InstanceCapacityError(index, `"${entry}" is not a size of the ${family} family (largest ${capacity.largest})`);
  }
  return { largest: entry, vcpus, memoryGiB: (capacity.memoryGiB / capacity.vcpus) * vcpus };
}

/** Jobs of one size that fit on an instance at once: bounded by its vCPUs and by its memory. */
export function jobsPerInstance(instance: InstanceFamilyCapacity, job: Pick<JobCapacityNeeds, "vcpus" | "memoryMiB">): number {
  return Math.min(Math.floor(instance.vcpus / job.vcpus), Math.floor((instance.memoryGiB * 1024) / job.memoryMiB));
}

/** How the instance volume was derived: the job and instance that need the most scratch at once. */
export interface InstanceVolumePlan {
  /** Root volume of every Batch instance, GiB. */
  readonly volumeGiB: number;
  /** The job size that needs the most (a key of `jobs`), and how many of it fit on `instance`. */
  readonly job: string;
  readonly jobsPerInstance: number;
  readonly instance: InstanceFamilyCapacity;
}

/**
 * Root volume of the Batch instances: the OS and images reserve, plus the most scratch any instance can need at
 * once, over every listed family's largest instance and every job size: jobs per instance x the job's scratch.
 */
export function planInstanceVolume(instanceTypes: readonly string[], jobs: Readonly<Record<string, JobCapacityNeeds>>): InstanceVolumePlan {
  const instances = instanceTypes.map((entry, index) => largestInstance(entry, index));
  let plan: InstanceVolumePlan | undefined;
  for (const instance of instances) {
    for (const [job, needs] of Object.entries(jobs)) {
      const fit = jobsPerInstance(instance, needs);
      const volumeGiB = OS_AND_IMAGES_RESERVE_GIB + fit * needs.scratchGiB;
      if (plan === undefined || volumeGiB > plan.volumeGiB) plan = { volumeGiB, job, jobsPerInstance: fit, instance };
    }
  }
  if (plan === undefined) throw new Error("planInstanceVolume needs at least one instance type and one job size");
  return plan;
}
