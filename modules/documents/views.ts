import { DotScope, Language, wrap } from "./dot";
import { EnvironmentFacts } from "./environment-facts";
import { COLOR, GeneratedView, ViewBuilder } from "./view";

/**
 * The five views of the architecture, each telling one story with the facts of the synthesized stacks: the request
 * path, the analysis path, the data (analytics) path, security and operations, and delivery (Atlantis in the tooling
 * account). Each edge of a story carries the number of its row in the view's flow table.
 */

/** What the delivery view needs: the tooling account's Atlantis and what it reaches in each workload account. */
export interface DeliveryFacts {
  readonly tooling: {
    readonly accountId: string;
    readonly region: string;
    readonly domain: string;
    readonly services: readonly string[];
    readonly fileSystem: string;
    readonly repository: string;
    readonly webhookCidrs: number;
  };
  readonly environments: readonly {
    readonly name: string;
    readonly accountId: string;
    readonly stateBucket: string;
    readonly lockTable: string;
    readonly planRole: string;
    readonly deployRole: string;
    readonly cluster: string;
  }[];
}

const shortZone = (zone: string) => zone;

function accountGroup(view: ViewBuilder, scope: DotScope, facts: EnvironmentFacts, fill: (inner: DotScope) => void, labelloc: "t" | "b" = "t"): void {
  view.group(
    scope,
    "account",
    { en: `AWS account ${facts.accountId} · ${facts.region} · ${facts.environment}`, "pt-BR": `Conta AWS ${facts.accountId} · ${facts.region} · ${facts.environment}` },
    COLOR.account,
    fill,
    { labelloc },
  );
}

/** Users to pods to the database: DNS, the internet gateway, WAF and the load balancer, the zones and their subnets. */
export function requestPathView(facts: EnvironmentFacts, language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const zones = facts.subnets.public.map((subnet) => subnet.zone);
  const id = (tier: string, zone: string) => `${tier}_${zone.replace(/-/g, "_")}`;
  return view.build(
    "request-path",
    { en: `Request path — ${facts.environment}`, "pt-BR": `Caminho da requisição — ${facts.environment}` },
    "TB",
    (graph) => {
      view.node(graph, "users", "users", { en: "Users", "pt-BR": "Usuários" }, [{ en: "browser", "pt-BR": "navegador" }]);
      // One line: the top row is as tall as its tallest node.
      view.node(graph, "route53", "route53", "Route 53", [
        facts.dnsRecordManaged
          ? { en: `${facts.siteDomain}, record by ${facts.environment}-apps`, "pt-BR": `${facts.siteDomain}, registro pela ${facts.environment}-apps` }
          : { en: `${facts.siteDomain}, record: Step 0`, "pt-BR": `${facts.siteDomain}, registro: Passo 0` },
      ]);
      // The account's title at the bottom: the users' edges enter from the top.
      accountGroup(view, graph, facts, (account) => {
        view.node(account, "waf", "waf", "AWS WAF", [{ en: `${facts.wafRules} rules`, "pt-BR": `${facts.wafRules} regras` }]);
        view.node(account, "s3", "s3", "Amazon S3", [{ en: "uploads bucket", "pt-BR": "bucket uploads" }]);
        view.group(account, "vpc", `VPC ${facts.vpcCidr}`, COLOR.vpc, (vpc) => {
          view.node(vpc, "igw", "igw", { en: "Internet gateway", "pt-BR": "Internet gateway" });
          view.node(vpc, "alb", "alb", "Application Load Balancer", [{ en: "HTTPS 443 · ACM", "pt-BR": "HTTPS 443 · ACM" }]);
          zones.forEach((zone, index) => {
            view.group(
              vpc,
              `zone_${index}`,
              { en: `Zone ${shortZone(zone)}`, "pt-BR": `Zona ${shortZone(zone)}` },
              COLOR.zone,
              (lane) => {
                view.node(lane, id("public", zone), "publicSubnet", { en: "Public", "pt-BR": "Pública" }, [
                  facts.subnets.public[index].cidr,
                  // A NAT gateway in each zone, or in the first zones only when the environment has fewer.
                  index < facts.natGateways ? { en: "ALB node · NAT", "pt-BR": "nó do ALB · NAT" } : { en: "ALB node", "pt-BR": "nó do ALB" },
                ]);
                view.node(lane, id("private", zone), "privateSubnet", { en: "Private", "pt-BR": "Privada" }, [facts.subnets.private[index].cidr, `pods: ${facts.workloads.join(", ")}`]);
                view.node(lane, id("isolated", zone), "privateSubnet", { en: "Isolated", "pt-BR": "Isolada" }, [facts.subnets.isolated[index].cidr, "RDS Proxy · RDS"]);
              },
              { style: "rounded,dashed", labelloc: "b" },
            );
          });
        });
      }, "b");
      view.step(graph, 1, "users", "route53", { en: `resolve ${facts.siteDomain} to the load balancer`, "pt-BR": `resolve ${facts.siteDomain} para o load balancer` });
      view.step(graph, 2, "users", "igw", { en: "HTTPS to the load balancer's public address", "pt-BR": "HTTPS até o endereço público do load balancer" });
      view.step(graph, 3, "igw", "alb", {
        en: `TLS 1.3 ends at the load balancer (ACM certificate); AWS WAF filters first (${facts.wafRules} rules: managed + rate limit)`,
        "pt-BR": `o TLS 1.3 termina no load balancer (certificado ACM); antes, o AWS WAF filtra (${facts.wafRules} regras: gerenciadas + limite de taxa)`,
      });
      graph.edge("waf", "alb", { style: "dashed", color: COLOR.secondary, arrowhead: "none" });
      view.steps(
        graph,
        4,
        zones.map((zone) => ["alb", id("public", zone)] as const),
        "Application Load Balancer",
        { en: "public subnets", "pt-BR": "sub-redes públicas" },
        { en: "the load balancer has a node in each zone's public subnet", "pt-BR": "o load balancer tem um nó na sub-rede pública de cada zona" },
      );
      view.steps(
        graph,
        5,
        zones.map((zone) => [id("public", zone), id("private", zone)] as const),
        { en: "public subnets", "pt-BR": "sub-redes públicas" },
        { en: "private subnets", "pt-BR": "sub-redes privadas" },
        {
          en: `to a pod's IP: / to the front-end, /api to the API (${facts.workloads.join(", ")} on the Karpenter NodePool "web")`,
          "pt-BR": `até o IP de um pod: / para o front-end, /api para a API (${facts.workloads.join(", ")} no NodePool "web" do Karpenter)`,
        },
      );
      view.steps(
        graph,
        6,
        zones.map((zone) => [id("private", zone), id("isolated", zone)] as const),
        { en: "private subnets", "pt-BR": "sub-redes privadas" },
        { en: "isolated subnets", "pt-BR": "sub-redes isoladas" },
        {
          en: `SQL through RDS Proxy ${facts.proxy} (IAM, TLS) to RDS PostgreSQL ${facts.database.identifier}${facts.database.multiAz ? " (Multi-AZ)" : ""}; no internet route`,
          "pt-BR": `SQL pelo RDS Proxy ${facts.proxy} (IAM, TLS) até o RDS PostgreSQL ${facts.database.identifier}${facts.database.multiAz ? " (Multi-AZ)" : ""}; sem rota para a internet`,
        },
      );
      view.step(graph, 7, "users", "s3", { en: "upload: presigned POST, one file per protein", "pt-BR": "upload: POST pré-assinado, um arquivo por proteína" }, { style: "dashed" });
      graph.sameRank("users", "route53");
      graph.sameRank("igw", "s3");
      graph.sameRank("alb", "waf");
      // S3 and WAF in one column left of the VPC: the view as wide as the slide's split allows.
      graph.edge("s3", "waf", { style: "invis" });
    },
    { ranksep: 0.4 },
  );
}

/** An analysis: the API, Step Functions, Batch on Spot, the metrics in RDS and the end-of-analysis event. */
export function analysisPathView(facts: EnvironmentFacts, language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const analysis = facts.stateMachines[0];
  const validate = facts.functions.find((fn) => fn.includes("validate")) ?? facts.functions[0];
  const statusQueue = facts.sqsQueues.find((queue) => queue.endsWith("status")) ?? facts.sqsQueues[0];
  return view.build(
    "analysis-path",
    { en: `Analysis path — ${facts.environment}`, "pt-BR": `Caminho da análise — ${facts.environment}` },
    "TB",
    (graph) => {
      accountGroup(view, graph, facts, (account) => {
        view.node(account, "sqs", "sqs", "Amazon SQS", [statusQueue]);
        view.node(account, "events", "eventbridge", "EventBridge", [{ en: "rule analysis-ended", "pt-BR": "regra analysis-ended" }]);
        view.node(account, "api", "eks", { en: "API pods", "pt-BR": "Pods da API" }, [{ en: "private subnets", "pt-BR": "sub-redes privadas" }]);
        view.node(account, "sfn", "sfn", "Step Functions", [analysis]);
        view.node(account, "lambda", "lambda", "AWS Lambda", [validate]);
        view.node(account, "queues", "batch", { en: "Batch job queues", "pt-BR": "Filas de jobs do Batch" }, [facts.queues.map((queue) => `${queue.name} p${queue.priority}`).join(" · ")]);
        view.node(account, "compute", "batch", { en: "Batch compute (private subnets)", "pt-BR": "Computação do Batch (sub-redes privadas)" }, facts.computeEnvironments.map((ce) => `${ce.name} ≤ ${ce.maxVcpus} vCPU`));
        view.node(account, "s3", "s3", "Amazon S3", [facts.buckets.filter((bucket) => !bucket.endsWith("logs")).join(" · ")]);
        view.node(account, "proxy", "rdsProxy", "RDS Proxy", [{ en: "isolated subnets", "pt-BR": "sub-redes isoladas" }]);
        view.node(account, "rds", "rds", "RDS PostgreSQL", [facts.database.identifier]);
      });
      view.step(graph, 1, "api", "s3", { en: "writes the analysis manifest (JSON Lines) to the work bucket", "pt-BR": "grava o manifesto da análise (JSON Lines) no bucket work" });
      view.step(graph, 2, "api", "sfn", { en: `StartExecution of ${analysis} with references, not data`, "pt-BR": `StartExecution de ${analysis} com referências, não dados` });
      view.step(graph, 3, "sfn", "lambda", { en: "checks the input and the manifest", "pt-BR": "valida a entrada e o manifesto" });
      view.step(graph, 4, "sfn", "queues", { en: "Distributed Map: one Batch array job per chunk of samples", "pt-BR": "Distributed Map: um array job do Batch por lote de amostras" });
      view.step(graph, 5, "queues", "compute", {
        en: `fair-share scheduling (${facts.queues.map((queue) => queue.name).join(" before ")}) onto Spot first`,
        "pt-BR": `agendamento com fair share (${facts.queues.map((queue) => queue.name).join(" antes de ")}), Spot primeiro`,
      });
      view.step(graph, 6, "compute", "s3", { en: "reads the uploads, writes the results", "pt-BR": "lê os uploads, grava os resultados" });
      view.step(graph, 7, "compute", "proxy", { en: "publishes each sample's metrics (IAM authentication, TLS)", "pt-BR": "publica as métricas de cada amostra (autenticação IAM, TLS)" });
      view.step(graph, 8, "proxy", "rds", { en: "pooled connections to the database", "pt-BR": "conexões em pool até o banco" });
      view.step(graph, 9, "sfn", "events", { en: "execution ended, whatever its status", "pt-BR": "a execução terminou, qualquer que seja o status" }, { reverse: true });
      view.step(graph, 10, "events", "sqs", { en: "status message (a dead-letter queue keeps what fails)", "pt-BR": "mensagem de status (uma fila de mensagens mortas guarda o que falhar)" }, { reverse: true });
      view.step(graph, 11, "sqs", "api", { en: "the API records the end of the analysis", "pt-BR": "a API registra o fim da análise" });
      // Rows: the end-of-analysis loop on top, the start below it, then Batch, then what Batch writes to.
      graph.sameRank("sqs", "events");
      graph.sameRank("api", "sfn", "lambda");
      graph.sameRank("s3", "proxy");
    },
  );
}

/** Analytics: zero-ETL from RDS to Redshift, the warehouse set-up and refresh through the Data API, the dashboards. */
export function dataPathView(facts: EnvironmentFacts, language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const refresh = facts.stateMachines.find((machine) => machine.endsWith("refresh")) ?? facts.stateMachines[1];
  const setup = facts.functions.find((fn) => fn.includes("setup")) ?? facts.functions[0];
  return view.build(
    "data-path",
    { en: `Data and analytics path — ${facts.environment}`, "pt-BR": `Caminho dos dados analíticos — ${facts.environment}` },
    "TB",
    (graph) => {
      accountGroup(view, graph, facts, (account) => {
        view.group(account, "vpc", `VPC ${facts.vpcCidr}`, COLOR.vpc, (vpc) => {
          view.node(vpc, "frontend", "eks", { en: "Front-end pods", "pt-BR": "Pods do front-end" }, [{ en: "private subnets", "pt-BR": "sub-redes privadas" }]);
          view.node(vpc, "rds", "rds", "RDS PostgreSQL", [facts.database.identifier, { en: "isolated subnets", "pt-BR": "sub-redes isoladas" }]);
          view.node(vpc, "redshift", "redshift", "Amazon Redshift", [facts.warehouse.identifier, `${facts.warehouse.nodes} × ${facts.warehouse.nodeType}`, { en: "isolated subnets", "pt-BR": "sub-redes isoladas" }]);
        });
        view.group(account, "managed", { en: "Regional services (AWS endpoints)", "pt-BR": "Serviços regionais (endpoints da AWS)" }, COLOR.managed, (services) => {
          view.node(services, "schedule", "schedule", "EventBridge", [{ en: `schedule ${facts.refreshSchedule}`, "pt-BR": `agendamento ${facts.refreshSchedule}` }]);
          view.node(services, "sfn", "sfn", "Step Functions", [refresh]);
          view.node(services, "lambda", "lambda", "AWS Lambda", [setup]);
          view.node(services, "dataapi", "redshift", "Redshift Data API", [{ en: "HTTPS, IAM", "pt-BR": "HTTPS, IAM" }]);
        });
      });
      view.step(graph, 1, "rds", "redshift", {
        en: `zero-ETL integration ${facts.integration}: changes replicated within seconds, no pipeline to run`,
        "pt-BR": `integração zero-ETL ${facts.integration}: mudanças replicadas em segundos, sem pipeline para operar`,
      });
      view.step(graph, 2, "lambda", "dataapi", {
        en: "at apply time: creates the database from the integration, the tenants' users and row-level security",
        "pt-BR": "no apply: cria o banco a partir da integração, os usuários dos tenants e a row-level security",
      });
      view.step(graph, 3, "schedule", "sfn", { en: `starts the refresh (${facts.refreshSchedule})`, "pt-BR": `inicia a atualização (${facts.refreshSchedule})` });
      view.step(graph, 4, "sfn", "dataapi", { en: "refreshes the materialized views", "pt-BR": "atualiza as views materializadas" });
      view.step(
        graph,
        5,
        "dataapi",
        "redshift",
        { en: "the Data API runs the SQL on the cluster, on AWS's side: no network path from these services into the subnet", "pt-BR": "a Data API executa o SQL no cluster, do lado da AWS: nenhum caminho de rede desses serviços até a sub-rede" },
        // Drawn to the VPC's border beside the cluster, never into the VPC: the Data API is not a network path.
        { style: "dashed", color: COLOR.secondary, lhead: "cluster_vpc" },
        { en: "AWS side", "pt-BR": "lado da AWS" },
      );
      view.step(graph, 6, "frontend", "redshift", {
        en: "dashboard queries as the tenant's database user, filtered by row-level security",
        "pt-BR": "consultas dos dashboards como o usuário de banco do tenant, filtradas por row-level security",
      });
    },
  );
}

/** Audit, findings and alerts, Spot interruptions and operator access. */
export function securityOperationsView(facts: EnvironmentFacts, language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const findingRules = facts.eventRules.filter((rule) => !facts.interruptionRules.includes(rule) && rule !== "dashboard-refresh" && rule !== "analysis-ended");
  const auditBucket = facts.auditBuckets.find((bucket) => bucket === "audit-logs") ?? facts.auditBuckets[0];
  const configBucket = facts.auditBuckets.find((bucket) => bucket.startsWith("config")) ?? facts.auditBuckets[0];
  return view.build(
    "security-operations",
    { en: `Security and operations — ${facts.environment}`, "pt-BR": `Segurança e operação — ${facts.environment}` },
    "LR",
    (graph) => {
      view.node(graph, "operator", "users", { en: "Operators", "pt-BR": "Operadores" });
      view.node(graph, "email", "email", { en: "On-call email", "pt-BR": "Email do plantão" });
      accountGroup(view, graph, facts, (account) => {
        view.node(account, "cloudtrail", "cloudtrail", "CloudTrail");
        view.node(account, "config", "config", "AWS Config");
        // Names two or three to a line: the view is as wide as the slide and no taller than the room under its title.
        view.node(account, "audit", "s3", "Amazon S3", wrap([...facts.auditBuckets, ...facts.buckets.filter((bucket) => bucket.endsWith("logs"))].join(", "), 30).split("\n"));
        view.node(account, "guardduty", "guardduty", "GuardDuty", [{ en: "EKS runtime, S3 malware", "pt-BR": "runtime do EKS, malware no S3" }]);
        view.node(account, "securityhub", "securityhub", "Security Hub");
        view.node(account, "rules", "eventbridge", { en: "EventBridge rules", "pt-BR": "Regras do EventBridge" }, wrap(findingRules.join(", "), 36).split("\n"));
        view.node(account, "cloudwatch", "cloudwatch", "CloudWatch", [{ en: `${facts.alarms} alarms`, "pt-BR": `${facts.alarms} alarmes` }]);
        view.node(account, "sns", "sns", "Amazon SNS", [facts.alertsTopic]);
        view.node(account, "ec2events", "eventbridge", { en: "EC2 and Health events", "pt-BR": "Eventos do EC2 e do Health" }, [{ en: `${facts.interruptionRules.length} Karpenter rules`, "pt-BR": `${facts.interruptionRules.length} regras do Karpenter` }]);
        view.node(account, "interruption", "sqs", { en: "Karpenter interruption queue", "pt-BR": "Fila de interrupção do Karpenter" }, [`SQS ${facts.interruptionQueue}`]);
        view.node(account, "karpenter", "eks", "Karpenter", [facts.cluster.name]);
        view.node(account, "ssm", "ssm", "Session Manager", [{ en: "no SSH, no inbound", "pt-BR": "sem SSH, sem entrada" }]);
        view.node(account, "session", "ec2", { en: "Session host", "pt-BR": "Host de sessão" }, [facts.sessionHost.instanceType]);
        view.node(account, "kms", "kms", { en: "KMS keys", "pt-BR": "Chaves KMS" }, [{ en: `${facts.keys.length}, rotating`, "pt-BR": `${facts.keys.length}, com rotação` }]);
      }, "b");
      view.step(graph, 1, "cloudtrail", "audit", { en: `every API call, to ${auditBucket} (Object Lock)`, "pt-BR": `toda chamada de API, para ${auditBucket} (Object Lock)` });
      view.step(graph, 2, "config", "audit", { en: `configuration history, to ${configBucket}`, "pt-BR": `histórico de configuração, para ${configBucket}` });
      view.step(graph, 3, "guardduty", "rules", { en: "findings (threats, infected uploads)", "pt-BR": "achados (ameaças, uploads infectados)" });
      view.step(graph, 4, "securityhub", "rules", { en: "critical findings", "pt-BR": "achados críticos" });
      view.step(graph, 5, "rules", "sns", { en: `findings and failed Batch jobs, to ${facts.alertsTopic}`, "pt-BR": `achados e jobs do Batch com falha, para ${facts.alertsTopic}` });
      view.step(graph, 6, "cloudwatch", "sns", { en: `${facts.alarms} alarms change state`, "pt-BR": `${facts.alarms} alarmes mudam de estado` });
      view.step(graph, 7, "sns", "email", { en: "email to the on-call engineers", "pt-BR": "email para o plantão" });
      view.step(graph, 8, "ec2events", "interruption", {
        en: `Spot interruption, rebalance, state-change and Health events (${facts.interruptionRules.join(", ")})`,
        "pt-BR": `eventos de interrupção Spot, rebalanceamento, mudança de estado e Health (${facts.interruptionRules.join(", ")})`,
      });
      view.step(graph, 9, "interruption", "karpenter", { en: "Karpenter drains and replaces the node before AWS reclaims it", "pt-BR": "o Karpenter drena e substitui o nó antes de a AWS recuperá-lo" });
      view.step(graph, 10, "operator", "ssm", { en: "an operator starts a session (IAM, logged by CloudTrail)", "pt-BR": "um operador abre uma sessão (IAM, registrada no CloudTrail)" });
      view.step(graph, 11, "ssm", "session", { en: "port forwarding to the private endpoints (RDS Proxy, EKS API)", "pt-BR": "port forwarding até os endpoints privados (RDS Proxy, API do EKS)" });
    },
  );
}

/** Delivery: a pull request, Atlantis in the tooling account, the roles, state and private API of each account. */
export function deliveryView(delivery: DeliveryFacts, language: Language): GeneratedView {
  const view = new ViewBuilder(language);
  const { tooling, environments } = delivery;
  const planner = tooling.services.find((service) => service.endsWith("planner")) ?? tooling.services[0];
  const applier = tooling.services.find((service) => service.endsWith("applier")) ?? tooling.services[1];
  return view.build(
    "delivery",
    { en: `Delivery — Atlantis in the tooling account (${tooling.region})`, "pt-BR": `Entrega — Atlantis na conta de ferramentas (${tooling.region})` },
    "TB",
    (graph) => {
      view.node(graph, "engineer", "users", { en: "Engineers", "pt-BR": "Engenheiros" });
      view.node(graph, "github", "github", "GitHub", [{ en: "pull request", "pt-BR": "pull request" }]);
      view.group(
        graph,
        "tooling",
        { en: `Tooling account ${tooling.accountId}`, "pt-BR": `Conta de ferramentas ${tooling.accountId}` },
        COLOR.account,
        (account) => {
          view.node(account, "alb", "alb", { en: "ALB + WAF", "pt-BR": "ALB + WAF" }, [tooling.domain]);
          view.node(account, "planner", "ecs", { en: "Atlantis planner", "pt-BR": "Atlantis planner" }, ["ECS Fargate"]);
          view.node(account, "applier", "ecs", { en: "Atlantis applier", "pt-BR": "Atlantis applier" }, ["ECS Fargate"]);
          view.node(account, "peering", "peering", { en: "VPC peering", "pt-BR": "Peering de VPC" }, [{ en: `${environments.length} environments`, "pt-BR": `${environments.length} ambientes` }]);
        },
        // The title at the bottom: the webhook enters from the top.
        { labelloc: "b" },
      );
      view.group(
        graph,
        "workload",
        { en: "Each workload account", "pt-BR": "Cada conta de workload" },
        COLOR.account,
        (account) => {
          view.node(account, "plan_role", "iam", { en: "Plan role", "pt-BR": "Role de plan" }, ["<env>-terraform-plan"]);
          view.node(account, "deploy_role", "iam", { en: "Deploy role", "pt-BR": "Role de deploy" }, ["<env>-terraform-deploy"]);
          view.node(account, "state", "s3", { en: "State", "pt-BR": "Estado" }, ["S3 <env>-tfstate", { en: "DynamoDB lock", "pt-BR": "lock no DynamoDB" }]);
          view.node(account, "eks", "eks", { en: "EKS private API", "pt-BR": "API privada do EKS" }, ["<env>-eks"]);
        },
        { style: "rounded,dashed", labelloc: "b" },
      );
      view.step(graph, 1, "engineer", "github", { en: "opens a pull request", "pt-BR": "abre um pull request" });
      view.step(graph, 2, "github", "alb", {
        en: `webhook to ${tooling.domain}, accepted only from GitHub's ${tooling.webhookCidrs} hook ranges`,
        "pt-BR": `webhook para ${tooling.domain}, aceito só das ${tooling.webhookCidrs} faixas de hooks do GitHub`,
      });
      view.step(graph, 3, "alb", "planner", { en: `the planner (${planner}) plans every project the change touches`, "pt-BR": `o planner (${planner}) faz o plan de cada projeto que a mudança toca` });
      view.step(graph, 4, "planner", "plan_role", { en: "assumes the read-only plan role of each account", "pt-BR": "assume a role de plan, só leitura, de cada conta" });
      view.step(graph, 5, "plan_role", "state", { en: "reads the state and takes the lock", "pt-BR": "lê o estado e obtém o lock" });
      view.step(graph, 6, "peering", "eks", { en: "Kubernetes resources are read over the VPC peering (the API is private)", "pt-BR": "os recursos do Kubernetes são lidos pelo peering de VPC (a API é privada)" });
      view.step(graph, 7, "alb", "applier", { en: `after review and approval, "atlantis apply" reaches the applier (${applier})`, "pt-BR": `depois da revisão e aprovação, "atlantis apply" chega ao applier (${applier})` });
      view.step(graph, 8, "applier", "deploy_role", { en: "assumes the deploy role and applies the reviewed plan", "pt-BR": "assume a role de deploy e aplica o plan revisado" });
      graph.edge("planner", "peering", { style: "dashed", color: COLOR.secondary, arrowhead: "none" });
      graph.edge("applier", "peering", { style: "dashed", color: COLOR.secondary, arrowhead: "none" });
    },
  );
}
