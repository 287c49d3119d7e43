import { DotScope, Language, Translated, digraph, wrap } from "./dot";
import { EnvironmentFacts } from "./environment-facts";

/** Fill colours by kind of service (close to the AWS architecture icon families). */
const COLOR = {
  network: "#E9E3F5",
  compute: "#FDEBD7",
  container: "#FCE4D6",
  storage: "#E2F0D9",
  database: "#DDEBF7",
  integration: "#F8E0EC",
  security: "#FBE2E2",
  management: "#EDEDED",
  person: "#FFFFFF",
} as const;

/** Edge colours of the flows the legend explains. */
const FLOW = { request: "#1F5FAD", analysis: "#C55A11", data: "#2E7D32", alert: "#7F7F7F" } as const;

const join = (items: readonly string[]) => items.join(", ");

/**
 * The architecture of one environment as Graphviz DOT, in `language`: the account and region, the VPC with its
 * zones and three subnet tiers, what runs in each tier (ALB and NAT; EKS with its node pools, controllers and
 * workloads, and Batch; RDS, its proxy and Redshift), the regional services around it, and the request, analysis,
 * replication and alert flows as labelled, coloured edges.
 */
export function architectureDot(facts: EnvironmentFacts, language: Language): string {
  const say = (text: Translated) => text[language];
  const zones = facts.subnets.private.map((subnet) => subnet.zone);
  const tierLabel = (tier: "public" | "private" | "isolated", name: Translated) =>
    `${say(name)}: ${facts.subnets[tier].map((subnet) => subnet.cidr).join(" · ")}`;
  const box = (label: string, fill: string, extra: Record<string, string> = {}) => ({ label, fillcolor: fill, ...extra });
  // The private API's clients from outside the VPC: Atlantis, in the tooling account, through the VPC peering.
  const eksLabel =
    `EKS ${facts.cluster.name} · Kubernetes ${facts.cluster.version}` +
    (facts.toolingPeer
      ? say({
          en: ` · private API, also reached by Atlantis (tooling account ${facts.toolingPeer.accountId}) over VPC peering`,
          "pt-BR": ` · API privada, também acessada pelo Atlantis (conta de ferramentas ${facts.toolingPeer.accountId}) via peering de VPC`,
        })
      : "");
  const charts = facts.charts.map((chart) => `${chart.chart} ${chart.version}`).join("\n");
  // Flows do not shape the layout (the rows below do), except the main path: users, WAF, ALB, pods, Batch, proxy, RDS.
  const flow = (color: string, label: Translated, extra: Record<string, string | boolean> = {}) => ({
    color,
    fontcolor: color,
    label: say(label),
    constraint: false,
    ...extra,
  });

  return digraph(
    "architecture",
    {
      graph: {
        rankdir: "TB",
        fontname: "DejaVu Sans",
        fontsize: 20,
        labeljust: "l",
        nodesep: 0.3,
        ranksep: 0.45,
        compound: true,
        newrank: true,
        pad: 0.3,
        label: titleWithLegend(
          say({
            en: `Proteomics platform — ${facts.environment}, as synthesized (the other environments differ in sizes and zones)`,
            "pt-BR": `Plataforma de proteômica — ${facts.environment}, como sintetizada (os outros ambientes diferem em tamanhos e zonas)`,
          }),
          language,
        ),
        labelloc: "t",
      },
      node: { shape: "box", style: "rounded,filled", fontname: "DejaVu Sans", fontsize: 15, margin: "0.15,0.08" },
      edge: { fontname: "DejaVu Sans", fontsize: 14, penwidth: 2, arrowsize: 0.9 },
    },
    (graph) => {
      graph.node("users", box(say({ en: "Users\n(browser)", "pt-BR": "Usuários\n(navegador)" }), COLOR.person, { shape: "box", style: "rounded" }));
      graph.cluster(
        "account",
        {
          label: say({
            en: `AWS account ${facts.accountId} · ${facts.region} · ${facts.environment}`,
            "pt-BR": `Conta AWS ${facts.accountId} · ${facts.region} · ${facts.environment}`,
          }),
          style: "rounded,dashed",
          color: "#232F3E",
          fontsize: 18,
        },
        (account) => {
          account.cluster("edge", { label: say({ en: "Public entry", "pt-BR": "Entrada pública" }), style: "rounded", color: "#9E9E9E" }, (edge) => {
            edge.node("waf", box(say({ en: `WAFv2 web ACL\n${facts.wafRules} rules (managed + rate limit)`, "pt-BR": `Web ACL WAFv2\n${facts.wafRules} regras (gerenciadas + limite de taxa)` }), COLOR.security));
            edge.node("acm", box(say({ en: `ACM certificate\n${facts.siteDomain}`, "pt-BR": `Certificado ACM\n${facts.siteDomain}` }), COLOR.security));
          });
          account.cluster("vpc", { label: `VPC ${facts.vpcCidr} · ${say({ en: "zones", "pt-BR": "zonas" })} ${join(zones)}`, style: "rounded", color: "#8C4FFF", fontsize: 16 }, (vpc) => {
            vpc.cluster("public", { label: tierLabel("public", { en: "Public subnets", "pt-BR": "Sub-redes públicas" }), style: "rounded,filled", fillcolor: "#F7F4FC", color: "#8C4FFF" }, (tier) => {
              tier.node("alb", box(say({ en: "Application Load Balancer\nHTTPS 443 (TLS 1.3), 80 → 443", "pt-BR": "Application Load Balancer\nHTTPS 443 (TLS 1.3), 80 → 443" }), COLOR.network));
              tier.node("nat", box(say({ en: `NAT gateways × ${facts.natGateways}`, "pt-BR": `NAT gateways × ${facts.natGateways}` }), COLOR.network));
            });
            vpc.cluster("private", { label: tierLabel("private", { en: "Private subnets", "pt-BR": "Sub-redes privadas" }), style: "rounded,filled", fillcolor: "#FBF9FE", color: "#8C4FFF" }, (tier) => {
              tier.cluster("eks", { label: eksLabel, style: "rounded,filled", fillcolor: "#FFF7EF", color: "#ED7100" }, (eks) => {
                eks.node(
                  "system",
                  box(
                    say({
                      en: `System node group\n${join(facts.systemNodes.instanceTypes)} · ${facts.systemNodes.min}–${facts.systemNodes.max} nodes\n${charts}\nContainer Insights`,
                      "pt-BR": `Node group de sistema\n${join(facts.systemNodes.instanceTypes)} · ${facts.systemNodes.min}–${facts.systemNodes.max} nós\n${charts}\nContainer Insights`,
                    }),
                    COLOR.container,
                  ),
                );
                eks.cluster(
                  "webpool",
                  {
                    label: say({
                      en: `Karpenter NodePool "web": ${join(facts.webPool.capacityTypes)}, ≤ ${facts.webPool.cpuLimit} vCPU, ${facts.webPool.memoryLimit}`,
                      "pt-BR": `NodePool "web" do Karpenter: ${join(facts.webPool.capacityTypes)}, ≤ ${facts.webPool.cpuLimit} vCPU, ${facts.webPool.memoryLimit}`,
                    }),
                    style: "rounded,filled",
                    fillcolor: COLOR.container,
                    color: "#ED7100",
                  },
                  (pool) => {
                    for (const workload of facts.workloads) {
                      const role = workload === "api" ? { en: "FastAPI", "pt-BR": "FastAPI" } : { en: "Django front-end", "pt-BR": "Front-end Django" };
                      pool.node(`workload_${workload}`, box(`${say(role)}\n${workload} (HPA, PDB)`, "#FFFFFF", { color: "#ED7100" }));
                    }
                  },
                );
              });
              tier.cluster("batch", { label: "AWS Batch", style: "rounded,filled", fillcolor: "#FFF7EF", color: "#ED7100" }, (batch) => {
                batch.node(
                  "compute",
                  box(
                    say({
                      en: `Compute environments\n${facts.computeEnvironments.map((ce) => `${ce.name} (${ce.type}) ≤ ${ce.maxVcpus} vCPU`).join("\n")}`,
                      "pt-BR": `Compute environments\n${facts.computeEnvironments.map((ce) => `${ce.name} (${ce.type}) ≤ ${ce.maxVcpus} vCPU`).join("\n")}`,
                    }),
                    COLOR.compute,
                  ),
                );
              });
              const endpoints = wrap(facts.endpoints.join(" "), 48);
              tier.node("endpoints", box(say({ en: `VPC endpoints (${facts.endpoints.length})\n${endpoints}`, "pt-BR": `Endpoints da VPC (${facts.endpoints.length})\n${endpoints}` }), COLOR.network));
              tier.node(
                "session_host",
                box(
                  say({
                    en: `Session host ${facts.sessionHost.instanceType}\nSession Manager only: no SSH, no inbound`,
                    "pt-BR": `Host de sessão ${facts.sessionHost.instanceType}\nsó Session Manager: sem SSH, sem entrada`,
                  }),
                  COLOR.security,
                ),
              );
            });
            vpc.cluster("isolated", { label: tierLabel("isolated", { en: "Isolated subnets (no internet route)", "pt-BR": "Sub-redes isoladas (sem rota para a internet)" }), style: "rounded,filled", fillcolor: "#F4F8FC", color: "#8C4FFF" }, (tier) => {
              tier.node("proxy", box(`RDS Proxy\n${facts.proxy} (IAM, TLS)`, COLOR.database));
              tier.node(
                "rds",
                box(
                  say({
                    en: `RDS PostgreSQL ${facts.database.engineVersion}\n${facts.database.identifier} · ${facts.database.instanceClass}${facts.database.multiAz ? " · Multi-AZ" : ""}`,
                    "pt-BR": `RDS PostgreSQL ${facts.database.engineVersion}\n${facts.database.identifier} · ${facts.database.instanceClass}${facts.database.multiAz ? " · Multi-AZ" : ""}`,
                  }),
                  COLOR.database,
                ),
              );
              tier.node("redshift", box(`Amazon Redshift\n${facts.warehouse.identifier} · ${facts.warehouse.nodes} × ${facts.warehouse.nodeType}`, COLOR.database));
            });
          });
          account.cluster("services", { label: say({ en: "Regional services", "pt-BR": "Serviços regionais" }), style: "rounded", color: "#9E9E9E" }, (services) => {
            services.node("s3", box(`Amazon S3\n${facts.buckets.join("\n")}`, COLOR.storage));
            services.node("ecr", box(`Amazon ECR\n${join(facts.repositories)}`, COLOR.container));
            services.node(
              "sfn",
              box(
                say({
                  en: `Step Functions\n${facts.stateMachines[0]} (Distributed Map)\n${facts.stateMachines.slice(1).join("\n")}`,
                  "pt-BR": `Step Functions\n${facts.stateMachines[0]} (Distributed Map)\n${facts.stateMachines.slice(1).join("\n")}`,
                }),
                COLOR.integration,
              ),
            );
            services.node("lambda", box(`AWS Lambda\n${facts.functions.join("\n")}`, COLOR.compute));
            services.node(
              "queues",
              box(
                say({
                  en: `Batch job queues (fair share)\n${facts.queues.map((queue) => `${queue.name} p${queue.priority}`).join(" · ")}`,
                  "pt-BR": `Filas de job do Batch (fair share)\n${facts.queues.map((queue) => `${queue.name} p${queue.priority}`).join(" · ")}`,
                }),
                COLOR.compute,
              ),
            );
            services.node(
              "events",
              box(
                say({
                  en: `EventBridge (default bus)\nrules: ${wrap(join(facts.eventRules.filter((rule) => !rule.startsWith("karpenter-"))), 40)}`,
                  "pt-BR": `EventBridge (barramento padrão)\nregras: ${wrap(join(facts.eventRules.filter((rule) => !rule.startsWith("karpenter-"))), 40)}`,
                }),
                COLOR.integration,
              ),
            );
            services.node("sqs", box(`Amazon SQS\n${facts.sqsQueues.join("\n")}`, COLOR.integration));
          });
          account.cluster("operations", { label: say({ en: "Security and operations", "pt-BR": "Segurança e operação" }), style: "rounded", color: "#9E9E9E" }, (ops) => {
            const keys = wrap(join(facts.keys), 36);
            ops.node("kms", box(say({ en: `KMS keys (rotating)\n${keys}`, "pt-BR": `Chaves KMS (com rotação)\n${keys}` }), COLOR.security));
            ops.node("secrets", box("Secrets Manager", COLOR.security));
            ops.node(
              "cloudwatch",
              box(
                say({
                  en: `CloudWatch\n${facts.alarms} alarms · ${facts.dashboards.join(", ")}\nSNS ${facts.alertsTopic} (email)`,
                  "pt-BR": `CloudWatch\n${facts.alarms} alarmes · ${facts.dashboards.join(", ")}\nSNS ${facts.alertsTopic} (email)`,
                }),
                COLOR.management,
              ),
            );
          });
        },
      );

      requestFlow(graph, facts, flow);
      analysisFlow(graph, flow);
      graph.edge("rds", "redshift", flow(FLOW.data, { en: "zero-ETL (seconds)", "pt-BR": "zero-ETL (segundos)" }, { style: "bold" }));
      graph.edge("system", "cloudwatch", flow(FLOW.alert, { en: "metrics, logs", "pt-BR": "métricas, logs" }, { style: "dashed" }));
      graph.edge("users", "session_host", flow(FLOW.request, { en: "operators: SSM port forwarding", "pt-BR": "operadores: port forwarding SSM" }, { style: "dotted" }));
      graph.edge("session_host", "proxy", flow(FLOW.request, { en: "psql", "pt-BR": "psql" }, { style: "dotted" }));
      graph.edge("ecr", "workload_api", flow(FLOW.alert, { en: "images", "pt-BR": "imagens" }, { style: "dashed", lhead: "cluster_webpool" }));
      // Rows of the picture: entry (and S3, which browsers reach directly), public tier, workloads, Batch, proxy,
      // databases; the regional services beside the row they serve, security and operations at the bottom. Only the main path constrains the layout; the other flows follow it.
      graph.sameRank("waf", "acm", "s3");
      graph.sameRank("alb", "nat", "ecr");
      graph.sameRank("workload_frontend", "workload_api", "sfn", "lambda");
      graph.sameRank("compute", "endpoints", "queues", "events");
      graph.sameRank("proxy", "sqs");
      graph.sameRank("rds", "redshift", "kms", "secrets", "cloudwatch");
      graph.edge("workload_api", "compute", { style: "invis" });
    },
  );
}

type Flow = (color: string, label: Translated, extra?: Record<string, string | boolean>) => Record<string, string | boolean>;

function requestFlow(graph: DotScope, facts: EnvironmentFacts, flow: Flow): void {
  graph.edge("users", "waf", flow(FLOW.request, { en: `1 HTTPS ${facts.siteDomain}`, "pt-BR": `1 HTTPS ${facts.siteDomain}` }, { constraint: true }));
  graph.edge("waf", "alb", flow(FLOW.request, { en: "2 filtered", "pt-BR": "2 filtrado" }, { constraint: true }));
  graph.edge("alb", "workload_frontend", flow(FLOW.request, { en: "3 / (pod IPs)", "pt-BR": "3 / (IPs dos pods)" }, { constraint: true }));
  graph.edge("alb", "workload_api", flow(FLOW.request, { en: "3 /api (pod IPs)", "pt-BR": "3 /api (IPs dos pods)" }, { constraint: true }));
  graph.edge("workload_frontend", "workload_api", flow(FLOW.request, { en: "in-cluster", "pt-BR": "no cluster" }));
  graph.edge("users", "s3", flow(FLOW.request, { en: "presigned POST: one file per protein", "pt-BR": "POST pré-assinado: um arquivo por proteína" }, { style: "dashed" }));
  graph.edge("workload_frontend", "redshift", flow(FLOW.request, { en: "dashboard: tenant user, row-level security", "pt-BR": "dashboard: usuário do tenant, row-level security" }, {}));
}

function analysisFlow(graph: DotScope, flow: Flow): void {
  graph.edge("workload_api", "s3", flow(FLOW.analysis, { en: "A manifest (JSON Lines)", "pt-BR": "A manifesto (JSON Lines)" }, { style: "dashed" }));
  graph.edge("workload_api", "sfn", flow(FLOW.analysis, { en: "B StartExecution (references)", "pt-BR": "B StartExecution (referências)" }));
  graph.edge("sfn", "lambda", flow(FLOW.analysis, { en: "C check input and manifest", "pt-BR": "C valida entrada e manifesto" }));
  graph.edge("sfn", "queues", flow(FLOW.analysis, { en: "D one child per sample: array job", "pt-BR": "D um filho por amostra: array job" }));
  graph.edge("queues", "compute", flow(FLOW.analysis, { en: "E schedule", "pt-BR": "E escalona" }));
  graph.edge("compute", "s3", flow(FLOW.analysis, { en: "F read uploads, write results", "pt-BR": "F lê uploads, grava resultados" }));
  graph.edge("compute", "proxy", flow(FLOW.analysis, { en: "G publish metrics (IAM)", "pt-BR": "G publica métricas (IAM)" }, { constraint: true }));
  graph.edge("proxy", "rds", flow(FLOW.analysis, { en: "", "pt-BR": "" }, { constraint: true }));
  graph.edge("sfn", "events", flow(FLOW.analysis, { en: "H execution ended (any status)", "pt-BR": "H execução terminou (qualquer status)" }));
  graph.edge("events", "sqs", flow(FLOW.analysis, { en: "I status", "pt-BR": "I status" }));
  graph.edge("sqs", "workload_api", flow(FLOW.analysis, { en: "J end of the analysis", "pt-BR": "J fim da análise" }, { constraint: false }));
  graph.edge("sfn", "redshift", flow(FLOW.analysis, { en: "K scheduled view refresh (Data API)", "pt-BR": "K atualização agendada das views (Data API)" }, { style: "dashed" }));
}

/** The title and, under it, the legend of the flows' colours, as the graph's HTML label. */
function titleWithLegend(title: string, language: Language): { html: string } {
  const entries: [string, Translated][] = [
    [FLOW.request, { en: "1–3 request: users, WAF, ALB, pods", "pt-BR": "1–3 requisição: usuários, WAF, ALB, pods" }],
    [FLOW.analysis, { en: "A–K analysis: API, Step Functions, Batch, events", "pt-BR": "A–K análise: API, Step Functions, Batch, eventos" }],
    [FLOW.data, { en: "replication RDS → Redshift", "pt-BR": "replicação RDS → Redshift" }],
    [FLOW.alert, { en: "images, metrics, logs", "pt-BR": "imagens, métricas, logs" }],
  ];
  const cells = entries.map(([color, text]) => `<td><font color="${color}">━━ ${text[language]}</font></td>`).join("<td>   </td>");
  return { html: `<table border="0" cellspacing="4"><tr><td align="left" colspan="7"><b>${title}</b></td></tr><tr>${cells}</tr></table>` };
}
