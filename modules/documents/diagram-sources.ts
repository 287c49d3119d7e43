import * as fs from "node:fs";
import * as path from "node:path";
import { LoadedEnvironments, allEnvironments } from "../../environments";
import { namePrefix } from "../../stacks/naming";
import { synthesizedStackGraph } from "../../stacks/synthesize";
import { lockTableName } from "../state/state-backend";
import { architectureDot } from "./architecture-diagram";
import { Language } from "./dot";
import { SynthesizedJson, environmentFacts } from "./environment-facts";
import { stacksDot } from "./stacks-diagram";

/** Where each language's diagrams go, relative to the repository. */
export const DIAGRAM_DIRECTORIES: Readonly<Record<Language, string>> = { en: "docs/diagrams", "pt-BR": "docs/pt-BR/diagrams" };

/** The diagrams, by file name without extension. */
export const DIAGRAMS = ["architecture", "stacks"] as const;

/**
 * The DOT source of every diagram in every language (repository-relative `.dot` path → text), from a synthesis of
 * every environment in `outdir`. The architecture diagram shows the production environment (the first workload
 * environment of that tier), the stacks diagram all of them, the tooling environment first.
 */
export function diagramSources(outdir: string, loaded: LoadedEnvironments): Record<string, string> {
  const environments = loaded.workloads;
  const stacks = synthesizedStackGraph(outdir);
  const shown = environments.find((env) => env.tier === "production") ?? environments[environments.length - 1];
  const synthesized = Object.fromEntries(
    stacks
      .filter((stack) => stack.name.startsWith(`${shown.name}-`))
      .map((stack) => [stack.name, JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack.name, "cdk.tf.json"), "utf8")) as SynthesizedJson]),
  );
  const facts = environmentFacts(shown, synthesized);
  const states = allEnvironments(loaded).map((env) => ({
    kind: env.kind,
    name: env.name,
    accountId: env.awsAccountId,
    region: env.region,
    stateBucket: env.state.bucketName,
    lockTable: lockTableName(namePrefix(env)),
  }));
  return Object.fromEntries(
    (Object.keys(DIAGRAM_DIRECTORIES) as Language[]).flatMap((language) => [
      [`${DIAGRAM_DIRECTORIES[language]}/architecture.dot`, architectureDot(facts, language)],
      [`${DIAGRAM_DIRECTORIES[language]}/stacks.dot`, stacksDot(stacks, states, language)],
    ]),
  );
}
