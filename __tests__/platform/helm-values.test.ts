import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HELM_VALUES_DIR, documentedKeys, mergeValues, readValuesFile, releaseValues, valuePaths } from "../../modules/platform/helm-values";

describe("mergeValues", () => {
  it("merges objects key by key, later layers winning", () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, d: 1 }, { a: { c: 3 } }, { d: 2 })).toEqual({ a: { b: 1, c: 3 }, d: 2 });
  });

  it("replaces lists and scalars whole, as Helm does", () => {
    expect(mergeValues({ tolerations: [{ key: "a" }], replicas: 2 }, { tolerations: [{ key: "b" }], replicas: 3 })).toEqual({
      tolerations: [{ key: "b" }],
      replicas: 3,
    });
  });

  it("lets a later object replace a scalar and the reverse", () => {
    expect(mergeValues({ a: 1, b: { c: 1 } }, { a: { x: 1 }, b: "off" })).toEqual({ a: { x: 1 }, b: "off" });
  });

  it("does not change its inputs", () => {
    const base = { a: { b: 1 } };
    mergeValues(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});

describe("releaseValues", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "values-"));
  fs.mkdirSync(path.join(dir, "prod"));
  fs.writeFileSync(path.join(dir, "chart.yaml"), "replicas: 1\nsettings:\n  logLevel: info\n");
  fs.writeFileSync(path.join(dir, "prod", "chart.yaml"), "replicas: 3\n");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("layers the shared file, the computed settings and the environment's file, in that order", () => {
    expect(releaseValues("chart", "prod", { replicas: 2, settings: { clusterName: "c" } }, dir)).toEqual({
      replicas: 3,
      settings: { logLevel: "info", clusterName: "c" },
    });
    expect(releaseValues("chart", "dev", { replicas: 2 }, dir)).toEqual({ replicas: 2, settings: { logLevel: "info" } });
  });

  it("refuses a chart without a shared values file", () => {
    expect(() => releaseValues("missing", "dev", {}, dir)).toThrow("missing.yaml is missing");
  });

  it("refuses a values file that is not a mapping", () => {
    fs.writeFileSync(path.join(dir, "list.yaml"), "- a\n- b\n");
    expect(() => readValuesFile(path.join(dir, "list.yaml"), true)).toThrow("must hold a mapping");
  });
});

describe("committed helm-values", () => {
  const charts = fs.readdirSync(HELM_VALUES_DIR).filter((file) => file.endsWith(".yaml"));
  const environments = fs.readdirSync(HELM_VALUES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());

  it.each(charts)("%s lists the chart keys it may set and sets only those", (file) => {
    const keys = documentedKeys(path.join(HELM_VALUES_DIR, file));
    expect(keys.length).toBeGreaterThan(0);
    const covered = (leaf: string) => keys.some((key) => leaf === key || leaf.startsWith(`${key}.`));
    const files = [path.join(HELM_VALUES_DIR, file), ...environments.map((env) => path.join(HELM_VALUES_DIR, env.name, file))];
    for (const values of files.filter((candidate) => fs.existsSync(candidate)).map((candidate) => readValuesFile(candidate, true))) {
      expect(valuePaths(values).filter((leaf) => !covered(leaf))).toEqual([]);
    }
  });

  it("has no environment override without its shared file", () => {
    for (const env of environments) {
      for (const file of fs.readdirSync(path.join(HELM_VALUES_DIR, env.name))) expect(charts).toContain(file);
    }
  });
});
