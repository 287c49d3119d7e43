import { SynthesizedStackNode } from "../../stacks/synthesize";
import { DotScope, Language, Translated } from "./dot";
import { IconKey } from "./icons";
import { COLOR, GeneratedView, ViewBuilder } from "./view";

/** What the stacks view shows of an environment: its account and where its state lives. */
export interface DiagramEnvironment {
  /** `tooling` for the tooling environment, whose peering stack accepts every workload environment's request. */
  readonly kind: "workload" | "tooling";
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly stateBucket: string;
  readonly lockTable: string;
}

/**
 * What each layer holds: its icon, a few words for the picture (one short line, so that the view stays readable on a
 * slide) and a sentence for the page's table.
 */
export const LAYER_CONTENT: Readonly<Record<string, { readonly icon: IconKey; readonly short: Translated; readonly text: Translated }>> = {
  state: { icon: "s3", short: { en: "state, lock", "pt-BR": "estado, lock" }, text: { en: "state bucket, lock table, KMS key", "pt-BR": "bucket de estado, tabela de lock, chave KMS" } },
  identity: { icon: "iam", short: { en: "IAM roles", "pt-BR": "roles IAM" }, text: { en: "IAM roles, permissions boundary", "pt-BR": "roles IAM, permissions boundary" } },
  atlantis: { icon: "ecs", short: { en: "ECS, ALB + WAF", "pt-BR": "ECS, ALB + WAF" }, text: { en: "Atlantis on ECS Fargate, ALB + WAF", "pt-BR": "Atlantis no ECS Fargate, ALB + WAF" } },
  peering: { icon: "peering", short: { en: "accepts peerings", "pt-BR": "aceita peerings" }, text: { en: "accepts each VPC peering", "pt-BR": "aceita cada peering de VPC" } },
  network: { icon: "igw", short: { en: "VPC, endpoints", "pt-BR": "VPC, endpoints" }, text: { en: "VPC, subnets, NAT, endpoints", "pt-BR": "VPC, sub-redes, NAT, endpoints" } },
  security: { icon: "guardduty", short: { en: "audit, threats", "pt-BR": "auditoria, ameaças" }, text: { en: "CloudTrail, GuardDuty, Config, Security Hub", "pt-BR": "CloudTrail, GuardDuty, Config, Security Hub" } },
  data: { icon: "rds", short: { en: "RDS, Redshift", "pt-BR": "RDS, Redshift" }, text: { en: "S3, ECR, RDS, Redshift, zero-ETL", "pt-BR": "S3, ECR, RDS, Redshift, zero-ETL" } },
  cluster: { icon: "eks", short: { en: "EKS, add-ons", "pt-BR": "EKS, add-ons" }, text: { en: "EKS, system nodes, add-ons", "pt-BR": "EKS, nós de sistema, add-ons" } },
  platform: { icon: "eks", short: { en: "Karpenter", "pt-BR": "Karpenter" }, text: { en: "Karpenter, controllers", "pt-BR": "Karpenter, controladores" } },
  pipeline: { icon: "batch", short: { en: "Batch, workflow", "pt-BR": "Batch, fluxo" }, text: { en: "Batch, Step Functions, events", "pt-BR": "Batch, Step Functions, eventos" } },
  apps: { icon: "alb", short: { en: "API, front-end", "pt-BR": "API, front-end" }, text: { en: "API, front-end, ALB + WAF", "pt-BR": "API, front-end, ALB + WAF" } },
};

const layerOf = (environment: string, stack: string) => stack.slice(environment.length + 1);

/**
 * The layers of an environment and the layers each builds on directly, within the environment: the transitive
 * reduction of the dependencies (a dependency also reached through another one is left out of the picture).
 */
function layers(stacks: readonly SynthesizedStackNode[], environment: string): { layer: string; dependencies: string[] }[] {
  const own = stacks
    .filter((stack) => stack.name.startsWith(`${environment}-`))
    .map((stack) => ({
      layer: layerOf(environment, stack.name),
      dependencies: stack.dependencies.filter((dependency) => dependency.startsWith(`${environment}-`)).map((dependency) => layerOf(environment, dependency)),
    }));
  const direct = new Map(own.map(({ layer, dependencies }) => [layer, dependencies]));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    (direct.get(from) ?? []).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
  return own.map(({ layer, dependencies }) => ({
    layer,
    dependencies: dependencies.filter((dependency) => !dependencies.some((other) => other !== dependency && reaches(other, dependency))),
  }));
}

/**
 * The stacks view: one panel for the layers every workload environment has (each environment in its own account,
 * with the same stacks and dependencies: the function refuses to draw it otherwise), one for the tooling account's,
 * an edge from each stack to the stacks it reads outputs of, and the remote state of each account.
 */
export function stacksView(stacks: readonly SynthesizedStackNode[], environments: readonly DiagramEnvironment[], language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const workloads = environments.filter((environment) => environment.kind === "workload");
  const toolings = environments.filter((environment) => environment.kind === "tooling");
  const shape = layers(stacks, workloads[0].name);
  for (const other of workloads.slice(1)) {
    if (JSON.stringify(layers(stacks, other.name)) !== JSON.stringify(shape)) {
      throw new Error(`stacks view: ${other.name}'s stacks differ from ${workloads[0].name}'s; one panel cannot draw both`);
    }
  }
  const describe = (layer: string) => {
    const content = LAYER_CONTENT[layer];
    // A new layer says what it holds, in both languages, or the view is not drawn.
    if (!content) throw new Error(`stacks view: no description of the layer "${layer}" (LAYER_CONTENT, modules/documents/stacks-diagram.ts)`);
    return content;
  };
  const panel = (graph: DotScope, id: string, title: Translated, prefix: string, own: { layer: string; dependencies: string[] }[], more: (scope: DotScope) => void = () => undefined) => {
    view.group(graph, id, title, COLOR.account, (scope) => {
      more(scope);
      for (const { layer } of own) {
        const content = describe(layer);
        view.node(scope, `${id}_${layer}`, content.icon, `${prefix}-${layer}`, [content.short]);
      }
    });
    for (const { layer, dependencies } of own) for (const dependency of dependencies) graph.edge(`${id}_${layer}`, `${id}_${dependency}`, { color: COLOR.secondary, penwidth: 2 });
  };
  return view.build(
    "stacks",
    {
      en: "Stacks: an arrow points to a stack whose outputs it reads",
      "pt-BR": "Stacks: a seta aponta para uma stack cujas saídas ela lê",
    },
    "TB",
    (graph) => {
      panel(
        graph,
        "workload",
        // Two lines: the panel is as wide as its widest row of stacks, not as its title.
        { en: `Each workload account\n(${workloads.map((env) => env.name).join(", ")})`, "pt-BR": `Cada conta de workload\n(${workloads.map((env) => env.name).join(", ")})` },
        "<env>",
        shape,
        (scope) =>
          view.node(scope, "remote_state", "dynamodb", { en: "Remote state", "pt-BR": "Estado remoto" }, [{ en: "a key per stack", "pt-BR": "chave por stack" }]),
      );
      for (const tooling of toolings) {
        panel(graph, "tooling", { en: `Tooling account ${tooling.accountId}`, "pt-BR": `Conta de ferramentas ${tooling.accountId}` }, tooling.name, layers(stacks, tooling.name));
        view.step(graph, 1, "tooling_peering", "workload_network", { en: "accepts each environment's VPC peering request", "pt-BR": "aceita o pedido de peering de VPC de cada ambiente" }, { style: "dashed", constraint: false });
      }
      view.step(graph, toolings.length ? 2 : 1, "workload_state", "remote_state", {
        en: `creates the bucket (${workloads.map((env) => env.stateBucket).join(", ")}) and lock table holding every stack's state of its account, one key per stack`,
        "pt-BR": `cria o bucket (${workloads.map((env) => env.stateBucket).join(", ")}) e a tabela de lock que guardam o estado de cada stack da sua conta, uma chave por stack`,
      }, { style: "dashed" });
      // The remote state beside the state stack that creates it: one row fewer, for a view about as wide as high.
      graph.sameRank("workload_state", "remote_state");
    },
    { nodesep: 0.25, ranksep: 0.4 },
  );
}
