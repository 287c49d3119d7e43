/**
 * What the Atlantis server image (`atlantis-server/Dockerfile`) is built from and what it provides, as the constructs,
 * the tests and the docs use it. The Dockerfile repeats these versions as build arguments; a test fails when the two
 * differ.
 */

/** Path of the image's Dockerfile, from the repository root. */
export const ATLANTIS_DOCKERFILE = "atlantis-server/Dockerfile";

/** Atlantis release the image is based on (runatlantis/atlantis tag v0.47.1, 2026-08-20). */
export const ATLANTIS_VERSION = "v0.47.1";

/**
 * The official image it starts from: the Debian variant (glibc), on which Node.js's and the AWS CLI's official
 * builds run; the default tag is the Alpine (musl) one.
 */
export const ATLANTIS_BASE_IMAGE = `ghcr.io/runatlantis/atlantis:${ATLANTIS_VERSION}-debian`;

/** Node.js added for `npm ci` and `npm run synth`: the current LTS line (24, "Krypton"). */
export const NODE_VERSION = "24.19.0";

/** Official Node.js image whose runtime (node and npm) is copied into the Atlantis image. */
export const NODE_IMAGE = `node:${NODE_VERSION}-trixie-slim`;

/** AWS CLI v2 added for the Kubernetes and Helm providers' `aws eks get-token`. */
export const AWS_CLI_VERSION = "2.36.7";

/** Official AWS CLI image whose installation is copied into the Atlantis image. */
export const AWS_CLI_IMAGE = `public.ecr.aws/aws-cli/aws-cli:${AWS_CLI_VERSION}`;

/**
 * Terraform the server runs: the default version the base image ships (`terraform` on the PATH), pinned as
 * `ATLANTIS_DEFAULT_TF_VERSION` with downloads off, so a plan never runs a binary fetched at run time. It must
 * satisfy the stacks' `required_version` (at least 1.11, for the S3 backend's lock file).
 */
export const TERRAFORM_VERSION = "1.14.9";

/** Port Atlantis listens on (`ATLANTIS_PORT`, the image's default). */
export const ATLANTIS_PORT = 4141;

/** The image's non-root `atlantis` user: uid 100, primary group `atlantis` gid 1000 (both variants of the image). */
export const ATLANTIS_USER = { uid: 100, gid: 1000 } as const;

/** Home directory of the `atlantis` user (npm's cache, git's credentials and config, the AWS CLI's cache). */
export const ATLANTIS_HOME = "/home/atlantis";

/** Where the server's EFS data directory is mounted (`ATLANTIS_DATA_DIR`): checkouts, plans, locks. */
export const ATLANTIS_DATA_DIR = "/atlantis-data";

/**
 * Paths the server writes besides its data directory; with a read-only root file system each is a task-local
 * (ephemeral) volume, declared as a `VOLUME` in the Dockerfile so Fargate seeds it with the image's content and
 * ownership.
 */
export const ATLANTIS_SCRATCH_PATHS = ["/tmp", ATLANTIS_HOME] as const;

/** Atlantis's liveness endpoint (GET, 200 when the server runs). */
export const ATLANTIS_HEALTH_PATH = "/healthz";

/** Atlantis's webhook endpoint (POST only). */
export const ATLANTIS_EVENTS_PATH = "/events";

/** Fargate CPU architectures the image is built for, with the matching `docker build --platform`. */
export const IMAGE_PLATFORMS = { ARM64: "linux/arm64", X86_64: "linux/amd64" } as const;

/** A Fargate CPU architecture. */
export type CpuArchitecture = keyof typeof IMAGE_PLATFORMS;
