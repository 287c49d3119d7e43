import * as fs from "node:fs";
import * as path from "node:path";
import {
  ATLANTIS_BASE_IMAGE,
  ATLANTIS_DOCKERFILE,
  ATLANTIS_HOME,
  ATLANTIS_SCRATCH_PATHS,
  ATLANTIS_VERSION,
  AWS_CLI_IMAGE,
  AWS_CLI_VERSION,
  IMAGE_PLATFORMS,
  NODE_IMAGE,
  NODE_VERSION,
  TERRAFORM_VERSION,
} from "../../modules/atlantis/atlantis-image";
import { FARGATE_TASK_SIZES, fargateSizeProblem } from "../../modules/atlantis/fargate-size";
import { chunks, sourceRanges } from "../../modules/atlantis/source-ranges";

// The server image: what atlantis-server/Dockerfile builds must be what the constructs and the docs say it is.

const dockerfile = fs.readFileSync(path.join(__dirname, "..", "..", ATLANTIS_DOCKERFILE), "utf8");
const instructions = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"));
/** The default of a build argument declared before the first FROM, with earlier arguments expanded. */
function buildArgument(name: string): string {
  const values: Record<string, string> = {};
  for (const line of instructions) {
    const match = /^ARG (\w+)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/\$\{(\w+)\}/g, (_, variable: string) => values[variable] ?? "");
    if (line.startsWith("FROM")) break;
  }
  if (!(name in values)) throw new Error(`no ARG ${name} before the first FROM`);
  return values[name];
}

describe("the Atlantis server image", () => {
  it("pins the versions the constructs and docs name", () => {
    expect(buildArgument("ATLANTIS_VERSION")).toBe(ATLANTIS_VERSION);
    expect(buildArgument("NODE_VERSION")).toBe(NODE_VERSION);
    expect(buildArgument("AWS_CLI_VERSION")).toBe(AWS_CLI_VERSION);
    expect(buildArgument("TERRAFORM_VERSION")).toBe(TERRAFORM_VERSION);
    expect(buildArgument("ATLANTIS_IMAGE")).toBe(ATLANTIS_BASE_IMAGE);
    expect(buildArgument("NODE_IMAGE")).toBe(NODE_IMAGE);
    expect(buildArgument("AWS_CLI_IMAGE")).toBe(AWS_CLI_IMAGE);
  });

  it("starts from a released Atlantis, Debian variant, with exact tags (no latest)", () => {
    expect(ATLANTIS_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(ATLANTIS_BASE_IMAGE).toBe(`ghcr.io/runatlantis/atlantis:${ATLANTIS_VERSION}-debian`);
    const froms = instructions.filter((line) => line.startsWith("FROM "));
    expect(froms).toEqual(["FROM ${NODE_IMAGE} AS node", "FROM ${AWS_CLI_IMAGE} AS aws-cli", "FROM ${ATLANTIS_IMAGE}"]);
    for (const image of [ATLANTIS_BASE_IMAGE, NODE_IMAGE, AWS_CLI_IMAGE]) expect(image).not.toMatch(/:latest|:\d+$|-slim$(?<!\d+\.\d+\.\d+-trixie-slim)/);
  });

  it("adds Node.js 24 LTS, AWS CLI v2 and a Terraform the stacks accept (>= 1.11)", () => {
    expect(NODE_VERSION.split(".")[0]).toBe("24");
    expect(AWS_CLI_VERSION.split(".")[0]).toBe("2");
    const [major, minor] = TERRAFORM_VERSION.split(".").map(Number);
    expect(major === 1 && minor >= 11).toBe(true);
    expect(dockerfile).toContain("ENV ATLANTIS_DEFAULT_TF_VERSION=${TERRAFORM_VERSION}");
    expect(dockerfile).toContain("ATLANTIS_TF_DOWNLOAD=false");
    // The build fails unless each tool is there at the pinned version.
    expect(dockerfile).toContain('test "$(node --version)" = "v${NODE_VERSION}"');
    expect(dockerfile).toContain('grep -q "^aws-cli/${AWS_CLI_VERSION} "');
    expect(dockerfile).toContain('grep -qx "Terraform v${TERRAFORM_VERSION}"');
  });

  it("runs as the non-root atlantis user, with the task's scratch paths declared as volumes", () => {
    const users = instructions.filter((line) => line.startsWith("USER "));
    expect(users[users.length - 1]).toBe("USER atlantis");
    const volume = instructions.find((line) => line.startsWith("VOLUME "));
    expect(JSON.parse(volume!.slice("VOLUME ".length))).toEqual([...ATLANTIS_SCRATCH_PATHS]);
    expect(ATLANTIS_SCRATCH_PATHS).toContain(ATLANTIS_HOME);
  });

  it("documents the build, the ECR login and the push of an immutable tag", () => {
    expect(dockerfile).toMatch(/^#\s+docker build --pull --platform "\$PLATFORM" -t "\$REGISTRY\/\$PREFIX\/atlantis:\$TAG" -f atlantis-server\/Dockerfile atlantis-server$/m);
    expect(dockerfile).toMatch(/^#\s+aws ecr get-login-password --region "\$REGION" \| docker login --username AWS --password-stdin "\$REGISTRY"$/m);
    expect(dockerfile).toMatch(/^#\s+docker push "\$REGISTRY\/\$PREFIX\/atlantis:\$TAG"$/m);
    expect(dockerfile).toContain("--format '{{json .Manifest.Digest}}'");
    expect(Object.values(IMAGE_PLATFORMS).every((platform) => dockerfile.includes(platform))).toBe(true);
  });
});

describe("Fargate task sizes", () => {
  it("accepts every documented combination and nothing else", () => {
    expect(fargateSizeProblem(256, 512)).toBeUndefined();
    expect(fargateSizeProblem(2048, 16384)).toBeUndefined();
    expect(fargateSizeProblem(8192, 61440)).toBeUndefined();
    expect(fargateSizeProblem(16384, 122880)).toBeUndefined();
    expect(fargateSizeProblem(256, 4096)).toBe("memory 4096 MiB is not allowed with cpu 256 on Fargate (allowed: 512, 1024, 2048 MiB)");
    expect(fargateSizeProblem(8192, 18432)).toMatch(/not allowed with cpu 8192/);
    expect(fargateSizeProblem(4096, 31744)).toMatch(/allowed: 8192 to 30720 in steps of 1024/);
    expect(Object.values(FARGATE_TASK_SIZES).flat()).toHaveLength(3 + 4 + 7 + 13 + 23 + 12 + 12);
  });
});

describe("source ranges", () => {
  it("normalizes and deduplicates", () => {
    expect(sourceRanges("uiCidrs", ["203.0.113.0/24", "203.0.113.0/24", "198.51.100.7/32"], false)).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
    expect(sourceRanges("uiCidrs", [], false)).toEqual([]);
  });

  it("refuses host bits (a typo for another range)", () => {
    expect(() => sourceRanges("uiCidrs", ["203.0.113.7/24"], false)).toThrow(/has host bits set; the block is 203\.0\.113\.0\/24/);
  });

  it("groups values for listener conditions", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
