/** One `uses:` line of a workflow: where it is, what it references, and the tag comment after it, if any. */
export interface UsesReference {
  /** 1-based line number. */
  readonly line: number;
  /** The reference, unquoted: `actions/checkout@<sha>`, `./.github/actions/x`, `docker://image@sha256:<digest>`. */
  readonly reference: string;
  /** The version of a trailing `# vX.Y.Z` comment, e.g. `v4.2.2`; undefined without one. */
  readonly tag?: string;
}

const USES_LINE = /^\s*(?:-\s+)?uses:(.*)$/;
const COMMIT_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
const TAG_COMMENT = /^#\s*(v\d+(?:\.\d+)*\S*)/;

/**
 * Every `uses:` line of a workflow's text, found by a line-based scan (no YAML parsing): a step's `uses:`, the first
 * key of a step (`- uses:`) or not, and a job's `uses:` (a reusable workflow). The reference may be quoted; a trailing
 * comment after it (YAML: whitespace, then `#`) gives the tag when it starts with `v` and a digit.
 */
export function usesReferences(text: string): UsesReference[] {
  const references: UsesReference[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const match = USES_LINE.exec(content);
    if (!match) return;
    const rest = match[1].trim();
    let reference: string;
    let after: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const end = rest.indexOf(quote, 1);
      reference = end < 0 ? rest.slice(1) : rest.slice(1, end);
      after = end < 0 ? "" : rest.slice(end + 1).trim();
    } else {
      const comment = rest.search(/\s#/);
      reference = (comment < 0 ? rest : rest.slice(0, comment)).trim();
      after = comment < 0 ? "" : rest.slice(comment).trim();
    }
    const tag = TAG_COMMENT.exec(after)?.[1];
    references.push({ line: index + 1, reference, ...(tag ? { tag } : {}) });
  });
  return references;
}

/**
 * What is wrong with the action references of one workflow, one message per problem, `<file>:<line>: …`; empty when
 * every `uses:` is pinned. A remote action or reusable workflow must be pinned by a full 40-hex commit SHA (a tag or a
 * branch can be moved to other code) and carry its release tag in a trailing comment, as Dependabot keeps it:
 * `uses: actions/checkout@<sha> # v4.2.2`. A local action (`./…`) is allowed as is, and a Docker action only by its
 * image digest (`docker://image@sha256:<digest>`).
 */
export function unpinnedActions(text: string, file: string): string[] {
  const problems: string[] = [];
  for (const { line, reference, tag } of usesReferences(text)) {
    const where = `${file}:${line}`;
    if (reference === "") problems.push(`${where}: uses: has no reference on its line`);
    else if (reference.startsWith("./")) continue;
    else if (reference.startsWith("docker://")) {
      if (!DOCKER_DIGEST.test(reference)) problems.push(`${where}: ${reference} is not pinned by a sha256 image digest`);
    } else if (!COMMIT_PIN.test(reference)) {
      problems.push(`${where}: ${reference} is not pinned by a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)`);
    } else if (!tag) {
      problems.push(`${where}: ${reference} has no trailing "# v…" tag comment`);
    }
  }
  return problems;
}
