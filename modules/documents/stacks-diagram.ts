import { SynthesizedStackNode } from "../../stacks/synthesize";
import { Language, Translated, digraph, wrap } from "./dot";

/** What the stacks diagram shows of an environment: its account and where its state lives. */
export interface DiagramEnvironment {
  /** `tooling` for the tooling environment, whose peering stack accepts every workload environment's request. */
  readonly kind: "workload" | "tooling";
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly stateBucket: string;
  readonly lockTable: string;
}

/** What each layer holds, in a few words. */
const LAYER_CONTENT: Readonly<Record<string, Translated>> = {
  state: { en: "state bucket, lock table, KMS key", "pt-BR": "bucket de estado, tabela de lock, chave KMS" },
  identity: { en: "IAM roles (Atlantis, people), permissions boundary", "pt-BR": "roles IAM (Atlantis, pessoas), permissions boundary" },
  atlantis: { en: "Atlantis planner + applier: ECS Fargate, EFS, ECR, secrets, ALB + WAF", "pt-BR": "Atlantis planner + applier: ECS Fargate, EFS, ECR, segredos, ALB + WAF" },
  peering: { en: "accepts each environment's VPC peering, routes to it", "pt-BR": "aceita o peering de VPC de cada ambiente, rotas até ele" },
  network: { en: "VPC, subnets, NAT, endpoints, flow logs, alerts", "pt-BR": "VPC, sub-redes, NAT, endpoints, flow logs, alertas" },
  security: {
    en: "CloudTrail, GuardDuty, Security Hub, Config, Access Analyzer, security alarms",
    "pt-BR": "CloudTrail, GuardDuty, Security Hub, Config, Access Analyzer, alarmes de segurança",
  },
  data: { en: "KMS, S3, ECR, RDS + proxy, Redshift, zero-ETL", "pt-BR": "KMS, S3, ECR, RDS + proxy, Redshift, zero-ETL" },
  cluster: { en: "EKS, system nodes, add-ons, Pod Identity, Karpenter IAM/SQS", "pt-BR": "EKS, nós de sistema, add-ons, Pod Identity, IAM/SQS do Karpenter" },
  platform: { en: "Karpenter, load balancer controller, metrics-server, external-secrets", "pt-BR": "Karpenter, load balancer controller, metrics-server, external-secrets" },
  pipeline: { en: "Batch, Step Functions, events, dashboard", "pt-BR": "Batch, Step Functions, eventos, dashboard" },
  apps: { en: "API, front-end, NetworkPolicies, ALB + WAF", "pt-BR": "API, front-end, NetworkPolicies, ALB + WAF" },
};

const nodeId = (stack: string) => stack.replace(/-/g, "_");

/**
 * The stacks of every environment and their dependencies as Graphviz DOT, in `language`: one box per environment
 * (its own AWS account), the stacks inside with an edge from each stack to the stacks it reads outputs of, and the
 * environment's state bucket and lock table, which hold every stack's state under its own key and nothing of
 * another environment.
 */
export function stacksDot(stacks: readonly SynthesizedStackNode[], environments: readonly DiagramEnvironment[], language: Language): string {
  const say = (text: Translated) => text[language];
  return digraph(
    "stacks",
    {
      graph: {
        rankdir: "TB",
        fontname: "DejaVu Sans",
        fontsize: 22,
        nodesep: 0.25,
        ranksep: 0.5,
        newrank: true,
        pad: 0.3,
        labelloc: "t",
        label: say({
          en: "Stacks per environment: an edge reads the outputs of (or must follow) the stack it points to; dashed blue: tooling-peering accepts the environment's peering request",
          "pt-BR": "Stacks por ambiente: uma aresta lê as saídas da (ou vem depois da) stack para a qual aponta; azul tracejada: tooling-peering aceita o pedido de peering do ambiente",
        }),
      },
      node: { shape: "box", style: "rounded,filled", fillcolor: "#FFFFFF", fontname: "DejaVu Sans", fontsize: 16 },
      edge: { color: "#555555", arrowsize: 0.7 },
    },
    (graph) => {
      for (const environment of environments) {
        const own = stacks.filter((stack) => stack.name.startsWith(`${environment.name}-`));
        graph.cluster(
          environment.name,
          {
            label: say({
              en: `${environment.name} · account ${environment.accountId}\n${environment.region}`,
              "pt-BR": `${environment.name} · conta ${environment.accountId}\n${environment.region}`,
            }),
            style: "rounded,filled",
            fillcolor: "#F5F7FA",
            color: "#232F3E",
          },
          (scope) => {
            for (const stack of own) {
              const layer = stack.name.slice(environment.name.length + 1);
              const content = LAYER_CONTENT[layer];
              // A new layer says what it holds, in both languages, or the diagram is not drawn.
              if (!content) throw new Error(`stacks diagram: no description of the layer "${layer}" (LAYER_CONTENT, modules/documents/stacks-diagram.ts)`);
              scope.node(nodeId(stack.name), {
                label: `${stack.name}\n${wrap(say(content), 30)}`,
                fillcolor: layer === "state" ? "#FFF2CC" : "#FFFFFF",
              });
            }
            scope.node(`${nodeId(environment.name)}_remote_state`, {
              label: say({
                en: `Remote state, one key per stack\ns3://${environment.stateBucket}/\n<stack>/terraform.tfstate\nlocks: DynamoDB ${environment.lockTable}`,
                "pt-BR": `Estado remoto, uma chave por stack\ns3://${environment.stateBucket}/\n<stack>/terraform.tfstate\nlocks: DynamoDB ${environment.lockTable}`,
              }),
              shape: "cylinder",
              fillcolor: "#FFF2CC",
            });
            scope.edge(nodeId(`${environment.name}-state`), `${nodeId(environment.name)}_remote_state`, {
              label: say({ en: "creates", "pt-BR": "cria" }),
              style: "dashed",
              fontname: "DejaVu Sans",
              fontsize: 10,
            });
          },
        );
        for (const stack of own) {
          for (const dependency of stack.dependencies) graph.edge(nodeId(stack.name), nodeId(dependency));
        }
      }
      // Across accounts: the tooling's peering stack accepts the request each workload network stack makes.
      for (const tooling of environments.filter((environment) => environment.kind === "tooling")) {
        for (const workload of environments.filter((environment) => environment.kind === "workload")) {
          graph.edge(nodeId(`${tooling.name}-peering`), nodeId(`${workload.name}-network`), { style: "dashed", color: "#1A73E8" });
        }
      }
    },
  );
}
