import { SynthesizedStackNode } from "../../stacks/synthesize";
import { DotScope, Language, Translated, wrap } from "./dot";
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

/** What each layer holds, in a few words, and its icon. */
const LAYER_CONTENT: Readonly<Record<string, { readonly icon: IconKey; readonly text: Translated }>> = {
  state: { icon: "s3", text: { en: "state bucket, lock table, KMS key", "pt-BR": "bucket de estado, tabela de lock, chave KMS" } },
  identity: { icon: "iam", text: { en: "IAM roles, permissions boundary", "pt-BR": "roles IAM, permissions boundary" } },
  atlantis: { icon: "ecs", text: { en: "Atlantis on ECS Fargate, ALB + WAF", "pt-BR": "Atlantis no ECS Fargate, ALB + WAF" } },
  peering: { icon: "peering", text: { en: "accepts each VPC peering", "pt-BR": "aceita cada peering de VPC" } },
  network: { icon: "igw", text: { en: "VPC, subnets, NAT, endpoints", "pt-BR": "VPC, sub-redes, NAT, endpoints" } },
  security: { icon: "guardduty", text: { en: "CloudTrail, GuardDuty, Config, Security Hub", "pt-BR": "CloudTrail, GuardDuty, Config, Security Hub" } },
  data: { icon: "rds", text: { en: "S3, ECR, RDS, Redshift, zero-ETL", "pt-BR": "S3, ECR, RDS, Redshift, zero-ETL" } },
  cluster: { icon: "eks", text: { en: "EKS, system nodes, add-ons", "pt-BR": "EKS, nós de sistema, add-ons" } },
  platform: { icon: "eks", text: { en: "Karpenter, controllers", "pt-BR": "Karpenter, controladores" } },
  pipeline: { icon: "batch", text: { en: "Batch, Step Functions, events", "pt-BR": "Batch, Step Functions, eventos" } },
  apps: { icon: "alb", text: { en: "API, front-end, ALB + WAF", "pt-BR": "API, front-end, ALB + WAF" } },
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
        view.node(scope, `${id}_${layer}`, content.icon, `${prefix}-${layer}`, wrap(view.say(content.text), 24).split("\n"));
      }
    });
    for (const { layer, dependencies } of own) for (const dependency of dependencies) graph.edge(`${id}_${layer}`, `${id}_${dependency}`, { color: COLOR.secondary, penwidth: 2 });
  };
  return view.build(
    "stacks",
    {
      en: "Stacks: an arrow points to a stack whose outputs it reads (direct dependencies only)",
      "pt-BR": "Stacks: a seta aponta para uma stack cujas saídas ela lê (só dependências diretas)",
    },
    "TB",
    (graph) => {
      panel(
        graph,
        "workload",
        { en: `Each workload account (${workloads.map((env) => env.name).join(", ")})`, "pt-BR": `Cada conta de workload (${workloads.map((env) => env.name).join(", ")})` },
        "<env>",
        shape,
        (scope) =>
          view.node(scope, "remote_state", "dynamodb", { en: "Remote state", "pt-BR": "Estado remoto" }, [
            { en: "one key per stack", "pt-BR": "uma chave por stack" },
            { en: "lock: DynamoDB", "pt-BR": "lock: DynamoDB" },
          ]),
      );
      for (const tooling of toolings) {
        panel(graph, "tooling", { en: `Tooling account ${tooling.accountId}`, "pt-BR": `Conta de ferramentas ${tooling.accountId}` }, tooling.name, layers(stacks, tooling.name));
        view.step(graph, 1, "tooling_peering", "workload_network", { en: "accepts each environment's VPC peering request", "pt-BR": "aceita o pedido de peering de VPC de cada ambiente" }, { style: "dashed", constraint: false });
      }
      view.step(graph, toolings.length ? 2 : 1, "workload_state", "remote_state", {
        en: `creates the bucket (${workloads.map((env) => env.stateBucket).join(", ")}) and lock table holding every stack's state of its account, one key per stack`,
        "pt-BR": `cria o bucket (${workloads.map((env) => env.stateBucket).join(", ")}) e a tabela de lock que guardam o estado de cada stack da sua conta, uma chave por stack`,
      }, { style: "dashed" });
    },
  );
}
