import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES, MAX_UPLOAD_BYTES, UPLOADS_PREFIX, UPLOAD_CONTENT_TYPES } from "../../modules/pipeline/analysis-contract";
import { loadValidator } from "../helpers/analysis-run";

// The provisioning guide's end-to-end analysis (step 9) uploads the protein files shipped in examples/smoke/, through
// docs/contracts/examples/write-manifests.py, and starts the analysis with the input the guide writes: the files are
// small valid mzML, and what the script and the guide produce passes the analysis contract.

const ROOT = path.join(__dirname, "..", "..");
const SMOKE = path.join(ROOT, "examples", "smoke");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const GUIDES = ["docs/provisioning.md", "docs/pt-BR/provisioning.md"];
const SCRIPT = read("docs/contracts/examples/write-manifests.py");
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
const schema = (name: string) => {
  const json = JSON.parse(read(`docs/contracts/${name}.schema.json`));
  return ajv.getSchema(json.$id) ?? ajv.compile(json);
};

/** What write-manifests.py uploads and writes: its file list, tenant and sample. */
const script = {
  files: JSON.parse(SCRIPT.match(/^files = (\[.*\])$/m)![1].replace(/'/g, '"')) as string[],
  tenant: SCRIPT.match(/^tenant = "(\w+)"$/m)![1],
  sample: SCRIPT.match(/"sampleId": "(\w+)"/)![1],
};
/** The validation function's two judges (functions/validate-analysis-input), as the contract test types them. */
type Validator = { inputProblem: (input: unknown, options: object) => string | undefined; manifestProblem: (text: string, limits: object) => { problem?: string; samples?: number } };
const validator = async () => (await loadValidator()) as unknown as Validator;

const ANALYSIS = "0b7e4a3c-5d21-4f6e-9a80-1c2d3e4f5a6b";
const BUCKET = "proteomics-dev-uploads-111122223333";

/** Problems of an mzML document: well-formedness, the mzML 1.1 skeleton, counts, and binary arrays of their length. */
function mzmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const body = text.replace(/<!--[\s\S]*?-->/g, "").replace(/<\?xml[^>]*\?>/, "");
  for (const tag of body.matchAll(/<(\/?)([\w:]+)([^>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = tag;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(", ")}`);
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push("no XML declaration");
  if (!/<mzML xmlns="http:\/\/psi\.hupo\.org\/ms\/mzml" version="1\.1\.0"/.test(body)) problems.push("no mzML 1.1.0 root");
  const order = ["cvList", "fileDescription", "softwareList", "instrumentConfigurationList", "dataProcessingList", "run"];
  const positions = order.map((element) => body.indexOf(`<${element}`));
  if (positions.some((position) => position < 0) || positions.some((position, index) => index > 0 && position < positions[index - 1])) {
    problems.push(`elements out of mzML order: ${order.join(", ")}`);
  }
  for (const [list, item] of [["cvList", "cv"], ["spectrumList", "spectrum"], ["binaryDataArrayList", "binaryDataArray"]]) {
    for (const match of body.matchAll(new RegExp(`<${list} count="(\\d+)"[^>]*>([\\s\\S]*?)</${list}>`, "g"))) {
      const items = [...match[2].matchAll(new RegExp(`<${item}[\\s>]`, "g"))].length;
      if (items !== Number(match[1])) problems.push(`${list} count ${match[1]}, ${items} ${item}`);
    }
  }
  for (const spectrum of body.matchAll(/<spectrum [^>]*defaultArrayLength="(\d+)"[^>]*>([\s\S]*?)<\/spectrum>/g)) {
    const arrays = [...spectrum[2].matchAll(/<binaryDataArray encodedLength="(\d+)">([\s\S]*?)<binary>([^<]*)<\/binary>/g)];
    if (arrays.length !== 2) problems.push(`a spectrum with ${arrays.length} arrays`);
    for (const [, encodedLength, params, binary] of arrays) {
      if (binary.length !== Number(encodedLength)) problems.push(`encodedLength ${encodedLength}, binary of ${binary.length}`);
      if (!params.includes('accession="MS:1000523"') || !params.includes('accession="MS:1000576"')) problems.push("an array not 64-bit float, uncompressed");
      const bytes = Buffer.from(binary, "base64");
      const values = Array.from({ length: bytes.length / 8 }, (_value, index) => bytes.readDoubleLE(index * 8));
      if (values.length !== Number(spectrum[1])) problems.push(`an array of ${values.length} values, defaultArrayLength ${spectrum[1]}`);
      if (params.includes('name="m/z array"') && values.some((value, index) => value <= 0 || (index > 0 && value < values[index - 1]))) problems.push("m/z not ascending");
    }
  }
  return problems;
}

describe("the smoke test's input (examples/smoke/)", () => {
  it("holds the files the upload script names, and the guides copy them from there", () => {
    expect(script.files.length).toBeGreaterThan(0);
    for (const name of script.files) expect([name, fs.existsSync(path.join(SMOKE, name))]).toEqual([name, true]);
    for (const guide of GUIDES) {
      const text = read(guide);
      expect([guide, text.match(/for FILE in ([^;]+); do kubectl -n proteomics cp "examples\/smoke\/\$FILE"/)?.[1].split(" ")]).toEqual([guide, script.files]);
    }
  });

  it.each(fs.readdirSync(SMOKE).filter((name) => name.endsWith(".mzML")))("%s is a small, valid mzML file a browser may upload", (name) => {
    const file = path.join(SMOKE, name);
    expect(fs.statSync(file).size).toBeLessThan(Math.min(MAX_UPLOAD_BYTES, 64 * 1024));
    expect(UPLOAD_CONTENT_TYPES).toContain("application/xml");
    expect(mzmlProblems(fs.readFileSync(file, "utf8"))).toEqual([]);
  });

  it("is judged by the check: a broken file fails it", () => {
    const good = fs.readFileSync(path.join(SMOKE, script.files[0]), "utf8");
    expect(mzmlProblems(good.replace("</run>", ""))).toContain("unbalanced </mzML>");
    expect(mzmlProblems(good.replace('<spectrumList count="1"', '<spectrumList count="2"'))).toContain("spectrumList count 2, 1 spectrum");
    expect(mzmlProblems(good.replace(/defaultArrayLength="(\d+)"/, (_match, length) => `defaultArrayLength="${Number(length) + 1}"`)).length).toBeGreaterThan(0);
    expect(mzmlProblems(good.replace('version="1.1.0"', 'version="1.0.0"'))).toContain("no mzML 1.1.0 root");
  });

  it("makes manifests the contract accepts, as write-manifests.py writes them", async () => {
    const { manifestProblem } = await validator();
    const analysisLine = { sampleId: script.sample, files: script.files.length };
    expect(schema("analysis-manifest-line")(analysisLine)).toBe(true);
    const manifest = manifestProblem(`${JSON.stringify(analysisLine)}\n`, { maxSamples: MAX_SAMPLES, maxFilesPerSample: MAX_FILES_PER_SAMPLE });
    expect(manifest).toEqual({ problem: undefined, samples: 1 });
    const sampleLine = schema("sample-manifest-line");
    for (const name of script.files) {
      const key = `${UPLOADS_PREFIX}${script.tenant}/${ANALYSIS}/${script.sample}/${name}`;
      expect([key, sampleLine({ key })]).toEqual([key, true]);
      expect(SCRIPT).toContain('f"uploads/{tenant}/{analysis}/S1/{name}"');
    }
  });

  it.each(GUIDES)("starts the analysis in %s with an input the contract accepts", async (guide) => {
    const { inputProblem } = await validator();
    const inputs = [...read(guide).matchAll(/--input "((?:[^"\\]|\\.)*)"/g)].map((match) => match[1].replace(/\\"/g, '"').replace(/\$ANALYSIS/g, ANALYSIS).replace(/\$UPLOADS/g, BUCKET));
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    for (const text of inputs) {
      const input = JSON.parse(text);
      expect(input.tenantId).toBe(script.tenant);
      expect(schema("analysis-input")(input)).toBe(true);
      expect(inputProblem(input, { manifestBucket: BUCKET, executionName: ANALYSIS })).toBeUndefined();
    }
  });
});
