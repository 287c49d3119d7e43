import type { EnvironmentConfig } from "../../environments";
import { ENVIRONMENT_NAMES, TOOLING, environment } from "../helpers/environments";
import { StackJson, synthesizedStacks } from "../helpers/synth";

/**
 * Reference integrity of the synthesized Terraform JSON: every `${...}` expression of a stack refers only to what
 * that stack declares, and every cross-stack read goes to an output a stack of the same environment declares, in
 * that environment's state. cdktf checks none of this at synth time; Terraform finds it only at plan time.
 */

/** What the checker needs of an environment: where its stacks keep their state. */
type StateLocation = Pick<EnvironmentConfig, "name" | "region"> & { readonly state: Pick<EnvironmentConfig["state"], "bucketName"> };

/** One `${...}` interpolation: its text as written, and its code with string literals blanked out. */
interface Interpolation {
  readonly text: string;
  readonly code: string;
}

/** A string found somewhere in a stack's JSON, with its path (for messages) and whether it sits in a `depends_on`. */
interface FoundString {
  readonly path: string;
  readonly value: string;
  readonly dependsOn: boolean;
}

const IDENTIFIER = "[A-Za-z_][A-Za-z0-9_-]*";
// A reference starts an operand: not inside a longer identifier or after an attribute access (`x.aws_y.z`).
const START = "(?<![A-Za-z0-9_.-])";
// Providers whose resource types a reference may name, besides those a stack declares in required_providers.
const WELL_KNOWN_PROVIDERS = ["aws", "kubernetes", "helm", "time", "random", "null", "tls", "local", "archive", "http", "external", "cloudinit", "terraform"];
const CROSS_STACK_INPUT = "cross-stack-reference-input-";

/** Every `${...}` of a Terraform template string, including those nested in an expression's string literals. */
function interpolations(template: string): Interpolation[] {
  const found: Interpolation[] = [];
  scanTemplate(template, 0, false, found);
  return found;
}

/** Scans template text from `start` (to the closing quote when `quoted`); returns the index after it. */
function scanTemplate(text: string, start: number, quoted: boolean, found: Interpolation[]): number {
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (quoted && char === "\\") {
      i += 2;
    } else if (quoted && char === '"') {
      return i + 1;
    } else if ((char === "$" || char === "%") && text[i + 1] === char && text[i + 2] === "{") {
      i += 3; // `$${` and `%%{` are Terraform's escapes of a literal `${` / `%{`
    } else if ((char === "$" || char === "%") && text[i + 1] === "{") {
      i = scanExpression(text, i, found);
    } else {
      i += 1;
    }
  }
  if (quoted) throw new Error(`unterminated string literal in ${text}`);
  return i;
}

/** Scans the `${...}` (or `%{...}` directive) at `start`; returns the index after its closing brace. */
function scanExpression(text: string, start: number, found: Interpolation[]): number {
  let code = "";
  let depth = 0;
  let i = start + 2;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i = scanTemplate(text, i + 1, true, found);
      code += '""';
      continue;
    }
    if (char === "}" && depth === 0) {
      found.push({ text: text.slice(start, i + 1), code });
      return i + 1;
    }
    if (char === "{") depth += 1;
    if (char === "}") depth -= 1;
    code += char;
    i += 1;
  }
  throw new Error(`unterminated interpolation ${text.slice(start)}`);
}

/** Every string value (and object key) of a JSON value, with where it was found. */
function stringsOf(value: unknown, path: string, dependsOn = false, found: FoundString[] = []): FoundString[] {
  if (typeof value === "string") {
    found.push({ path, value, dependsOn });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => stringsOf(item, `${path}.${index}`, dependsOn, found));
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("${")) found.push({ path, value: key, dependsOn: false });
      stringsOf(child, path ? `${path}.${key}` : key, key === "depends_on", found);
    }
  }
  return found;
}

/** The producing stack a remote state reads, from its state key `<stack>/terraform.tfstate`. */
function producerOf(remote: StackJson): string | undefined {
  return /^([^/]+)\/terraform\.tfstate$/.exec(String(remote.config?.key))?.[1];
}

/** Problems of one stack's remote states: each must read a stack of the same environment, where that stack writes. */
function remoteStateProblems(env: StateLocation, stacks: Record<string, StackJson>, stackName: string): string[] {
  const problems: string[] = [];
  for (const [name, remote] of Object.entries<StackJson>(stacks[stackName].data?.terraform_remote_state ?? {})) {
    const where = `${stackName}: data.terraform_remote_state.${name}`;
    const producer = producerOf(remote);
    const config = remote.config ?? {};
    if (remote.backend !== "s3") problems.push(`${where}: reads a ${remote.backend} backend, not the environment's S3 state bucket`);
    if (config.bucket !== env.state.bucketName) {
      problems.push(`${where}: reads bucket ${config.bucket}, not the environment's state bucket ${env.state.bucketName}`);
    }
    if (config.region !== env.region) problems.push(`${where}: reads region ${config.region}, not the environment's region ${env.region}`);
    if (producer === undefined) {
      problems.push(`${where}: state key ${config.key} is not <stack>/terraform.tfstate`);
      continue;
    }
    if (name.startsWith(CROSS_STACK_INPUT) && name !== `${CROSS_STACK_INPUT}${producer}`) {
      problems.push(`${where}: is named for ${name.slice(CROSS_STACK_INPUT.length)} but reads the state of ${producer}`);
    }
    if (!producer.startsWith(`${env.name}-`)) {
      problems.push(`${where}: reads the state of ${producer}, a stack of another environment`);
    } else if (producer === stackName) {
      problems.push(`${where}: reads the stack's own state`);
    } else if (!stacks[producer]) {
      problems.push(`${where}: reads the state of ${producer}, which is not synthesized`);
    } else {
      const written = stacks[producer].terraform?.backend?.s3;
      if (!written) problems.push(`${where}: reads ${producer}, whose state is not in the S3 bucket (backend ${Object.keys(stacks[producer].terraform?.backend ?? {})})`);
      else if (written.bucket !== config.bucket || written.key !== config.key || written.region !== config.region) {
        problems.push(`${where}: reads s3://${config.bucket}/${config.key} but ${producer} writes s3://${written.bucket}/${written.key}`);
      }
    }
  }
  return problems;
}

/**
 * Every dangling or misdirected reference of the stacks of one environment, as `<stack>: <expression>: <problem>`:
 * references to undeclared resources, data sources, locals, variables and modules, cross-stack reads of outputs the
 * producing stack does not declare, remote states outside the environment's own state, and `depends_on` entries
 * Terraform would reject.
 */
function referenceProblems(env: StateLocation, stacks: Record<string, StackJson>): string[] {
  const problems: string[] = [];
  for (const [stackName, stack] of Object.entries(stacks)) {
    const providers = [...new Set([...WELL_KNOWN_PROVIDERS, ...Object.keys(stack.terraform?.required_providers ?? {})])].join("|");
    const resourceType = `(?:${providers})_[a-z0-9_]+`;
    const wholeObject = new RegExp(`^(?:(data)\\.(${IDENTIFIER})\\.(${IDENTIFIER})|(module)\\.(${IDENTIFIER})|(${resourceType})\\.(${IDENTIFIER}))$`);
    const pattern = (source: string) => new RegExp(`${START}${source}`, "g");
    const remoteStateReference = pattern(`data\\.terraform_remote_state\\.(${IDENTIFIER})(?:\\.outputs\\.(${IDENTIFIER}))?`);
    const dataReference = pattern(`data\\.(${IDENTIFIER})\\.(${IDENTIFIER})`);
    const localReference = pattern(`local\\.(${IDENTIFIER})`);
    const variableReference = pattern(`var\\.(${IDENTIFIER})`);
    const moduleReference = pattern(`module\\.(${IDENTIFIER})`);
    const resourceReference = pattern(`(${resourceType})\\.(${IDENTIFIER})`);
    const declared = (block: string, type: string, name?: string): boolean =>
      name === undefined ? stack[block]?.[type] !== undefined : stack[block]?.[type]?.[name] !== undefined;
    const remoteStates: Record<string, StackJson> = stack.data?.terraform_remote_state ?? {};
    problems.push(...remoteStateProblems(env, stacks, stackName));

    for (const { path, value, dependsOn } of stringsOf(stack, "")) {
      if (dependsOn) {
        // depends_on entries are bare references to whole objects, not templates.
        const whole = wholeObject.exec(value);
        if (!whole) {
          problems.push(`${stackName}: depends_on ${value}: is not a whole resource, data source or module (Terraform rejects attribute references in depends_on)`);
        } else if (whole[1] ? !declared("data", whole[2], whole[3]) : whole[4] ? !declared("module", whole[5]) : !declared("resource", whole[6], whole[7])) {
          problems.push(`${stackName}: depends_on ${value}: is not declared in this stack`);
        }
        continue;
      }
      let found: Interpolation[];
      try {
        found = interpolations(value);
      } catch (error) {
        problems.push(`${stackName}: ${path}: ${(error as Error).message}`);
        continue;
      }
      for (const { text, code } of found) {
        const report = (problem: string) => problems.push(`${stackName}: ${text}: ${problem}`);
        for (const [, name, output] of code.matchAll(remoteStateReference)) {
          const remote = remoteStates[name];
          const producer = remote && producerOf(remote);
          if (!remote) report(`remote state ${name} is not declared in this stack`);
          else if (output === undefined) report(`reads remote state ${name} without naming an output`);
          else if (producer && stacks[producer] && stacks[producer].output?.[output] === undefined) report(`${producer} declares no output ${output}`);
        }
        for (const [reference, type, name] of code.matchAll(dataReference)) {
          if (type !== "terraform_remote_state" && !declared("data", type, name)) report(`data source ${reference} is not declared in this stack`);
        }
        for (const [, name] of code.matchAll(localReference)) {
          if (stack.locals?.[name] === undefined) report(`local.${name} is not declared in this stack`);
        }
        for (const [, name] of code.matchAll(variableReference)) {
          if (!declared("variable", name)) report(`var.${name} is not declared in this stack`);
        }
        for (const [, name] of code.matchAll(moduleReference)) {
          if (!declared("module", name)) report(`module.${name} is not declared in this stack`);
        }
        for (const [reference, type, name] of code.matchAll(resourceReference)) {
          if (!declared("resource", type, name)) report(`resource ${reference} is not declared in this stack`);
        }
      }
    }
  }
  // An expression repeated across a stack (e.g. a key ARN in many policies) is one problem.
  return [...new Set(problems)];
}

const LAYERS = ["state", "identity", "network", "security", "data", "cluster", "platform", "pipeline", "apps"];

describe.each(ENVIRONMENT_NAMES)("%s reference integrity", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const problems = referenceProblems(env, stacks);

  it("checks every layer, with expressions and cross-stack reads to check", () => {
    expect(Object.keys(stacks).sort()).toEqual(LAYERS.map((layer) => `${name}-${layer}`).sort());
    const all = Object.values(stacks).flatMap((stack) => stringsOf(stack, "").flatMap(({ value }) => interpolations(value)));
    expect(all.length).toBeGreaterThan(200);
    const crossStack = all.filter(({ code }) => code.includes("data.terraform_remote_state."));
    expect(crossStack.length).toBeGreaterThan(20);
    // Every stack but state and network reads another layer.
    for (const layer of ["security", "data", "cluster", "platform", "pipeline", "apps"]) {
      expect(Object.keys(stacks[`${name}-${layer}`].data?.terraform_remote_state ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("refers only to resources, data sources, locals, variables and outputs that exist, in its own environment", () => {
    expect(problems).toEqual([]);
  });
});

describe("tooling reference integrity", () => {
  const stacks = synthesizedStacks(TOOLING.name);

  it("checks every layer: state, identity, network, security, atlantis, peering; the last three read the network's outputs", () => {
    expect(Object.keys(stacks).sort()).toEqual(["atlantis", "identity", "network", "peering", "security", "state"].map((layer) => `${TOOLING.name}-${layer}`));
    for (const layer of ["security", "atlantis", "peering"]) {
      expect(Object.keys(stacks[`${TOOLING.name}-${layer}`].data?.terraform_remote_state ?? {})).toEqual([`cross-stack-reference-input-${TOOLING.name}-network`]);
    }
  });

  it("refers only to resources, data sources, locals, variables and outputs that exist, in its own environment", () => {
    expect(referenceProblems(TOOLING, stacks)).toEqual([]);
  });
});

describe("reference checker", () => {
  const dev: StateLocation = { name: "dev", region: "sa-east-1", state: { bucketName: "dev-tfstate" } };
  const remoteState = (env: string, stack: string) => ({
    backend: "s3",
    config: { bucket: `${env}-tfstate`, key: `${stack}/terraform.tfstate`, region: "sa-east-1" },
  });
  const stacks: Record<string, StackJson> = {
    "dev-data": {
      terraform: { backend: { s3: remoteState("dev", "dev-data").config } },
      resource: { aws_s3_bucket: { logs: { bucket: "logs" } } },
      output: { "logs-bucket": { value: "${aws_s3_bucket.logs.bucket}" } },
    },
    "dev-apps": {
      terraform: { backend: { s3: remoteState("dev", "dev-apps").config }, required_providers: { aws: {} } },
      locals: { prefix: "app" },
      data: {
        terraform_remote_state: {
          "cross-stack-reference-input-dev-data": remoteState("dev", "dev-data"),
          "cross-stack-reference-input-prod-data": remoteState("prod", "prod-data"),
        },
      },
      resource: {
        aws_acm_certificate: { site: { domain_name: "example.com" } },
        aws_iam_policy: {
          fine: {
            // Escaped policy variables, function names, string literals, each/count/path/self/terraform.workspace,
            // and declared things: none is a problem.
            policy: '{"Resource":"arn:aws:s3:::b/$${aws:userid}/*","Sid":"%%{x}"}',
            description: '${upper("aws_fake.thing")} ${local.prefix} ${terraform.workspace} ${path.module} ${each.key} ${count.index} ${self.id}',
            name: "${tolist(aws_acm_certificate.site.domain_validation_options).0.resource_record_name}",
            path: "${data.terraform_remote_state.cross-stack-reference-input-dev-data.outputs.logs-bucket}",
          },
          broken: {
            policy: '${element(split(":", aws_db_proxy.proxy.arn), 6)}',
            description: '${aws_s3_bucket.missing.arn} ${local.nope} ${var.region} ${data.aws_caller_identity.me.account_id}',
            name: '${format("%s", "${local.nested}")}',
            path: "${data.terraform_remote_state.cross-stack-reference-input-dev-data.outputs.missing}",
            name_prefix: "${data.terraform_remote_state.cross-stack-reference-input-prod-data.outputs.logs-bucket}",
            depends_on: ["aws_acm_certificate.site", "aws_acm_certificate.site.arn", "aws_s3_bucket.gone"],
          },
        },
      },
    },
  };

  it("finds nested interpolations and skips escaped ones and string literals", () => {
    expect(interpolations('a $${aws:userid} ${element(split(":", aws_db_proxy.p.arn), 6)} ${format("%s", "${local.x}")}')).toEqual([
      { text: '${element(split(":", aws_db_proxy.p.arn), 6)}', code: 'element(split("", aws_db_proxy.p.arn), 6)' },
      { text: "${local.x}", code: "local.x" },
      { text: '${format("%s", "${local.x}")}', code: 'format("", "")' },
    ]);
  });

  it("reports dangling references, missing outputs, bad depends_on and cross-environment state, one line each", () => {
    expect(referenceProblems(dev, stacks)).toEqual([
      "dev-apps: data.terraform_remote_state.cross-stack-reference-input-prod-data: reads bucket prod-tfstate, not the environment's state bucket dev-tfstate",
      "dev-apps: data.terraform_remote_state.cross-stack-reference-input-prod-data: reads the state of prod-data, a stack of another environment",
      'dev-apps: ${element(split(":", aws_db_proxy.proxy.arn), 6)}: resource aws_db_proxy.proxy is not declared in this stack',
      "dev-apps: ${aws_s3_bucket.missing.arn}: resource aws_s3_bucket.missing is not declared in this stack",
      "dev-apps: ${local.nope}: local.nope is not declared in this stack",
      "dev-apps: ${var.region}: var.region is not declared in this stack",
      "dev-apps: ${data.aws_caller_identity.me.account_id}: data source data.aws_caller_identity.me is not declared in this stack",
      "dev-apps: ${local.nested}: local.nested is not declared in this stack",
      "dev-apps: ${data.terraform_remote_state.cross-stack-reference-input-dev-data.outputs.missing}: dev-data declares no output missing",
      "dev-apps: depends_on aws_acm_certificate.site.arn: is not a whole resource, data source or module (Terraform rejects attribute references in depends_on)",
      "dev-apps: depends_on aws_s3_bucket.gone: is not declared in this stack",
    ]);
  });
});
