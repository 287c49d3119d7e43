/** A Markdown table: the header, its separator, one line per row (pipes inside cells escaped). */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const cell = (value: string | number) => String(value).replace(/\|/g, "\\|");
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---|").join("")}`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)].join("\n");
}
