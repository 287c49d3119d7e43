import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inflateRawSync } from "node:zlib";
import { crc32, packageFunction, zip } from "../../modules/functions/function-package";
import { INPUT_VALIDATOR_SOURCE } from "../../modules/pipeline/input-validator";
import { ENVIRONMENT_NAMES } from "../helpers/environments";
import { resourcesOf, synthesizedStacks } from "../helpers/synth";

/** The entries of a zip, read from its central directory as unzip does (stored or deflated). */
function unzip(archive: Buffer): Array<{ name: string; data: Buffer; crc: number; externalAttributes: number }> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  return Array.from({ length: count }, () => {
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const externalAttributes = archive.readUInt32LE(at + 38);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(dataStart, dataStart + compressedSize);
    return { name, data: method === 8 ? inflateRawSync(raw) : raw, crc, externalAttributes };
  });
}

describe("function packages", () => {
  it("compute zip's CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("zip files so that any unzip reads them back, as readable regular files, with their checksums", () => {
    const files = [
      { name: "index.mjs", data: Buffer.from("export const handler = async () => 42;\n") },
      { name: "lib/ünïcode.json", data: Buffer.from(JSON.stringify({ a: "b".repeat(5000) })) },
      { name: "empty.txt", data: Buffer.alloc(0) },
    ];
    const entries = unzip(zip(files));
    expect(entries.map(({ name, data }) => [name, data.toString()])).toEqual(files.map(({ name, data }) => [name, data.toString()]));
    for (const entry of entries) {
      expect(entry.crc).toBe(crc32(entry.data));
      expect((entry.externalAttributes >>> 16) & 0o777).toBe(0o644);
    }
  });

  it("are the same bytes for the same files, and change with them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "function-package-"));
    fs.writeFileSync(path.join(dir, "index.mjs"), "export const handler = async () => 1;\n");
    const first = packageFunction(dir, "test-function");
    expect(packageFunction(dir, "test-function")).toEqual(first);
    expect(createHash("sha256").update(fs.readFileSync(first.path)).digest("base64")).toBe(first.base64Sha256);
    fs.writeFileSync(path.join(dir, "index.mjs"), "export const handler = async () => 2;\n");
    expect(packageFunction(dir, "test-function").base64Sha256).not.toBe(first.base64Sha256);
    fs.rmSync(dir, { recursive: true });
  });

  it.each(ENVIRONMENT_NAMES)("%s: the validation function ships the repository's code, with source_code_hash its CodeSha256", (name) => {
    const dir = process.env.PROTEOMICS_SYNTH_DIR!;
    const [fn] = Object.values(resourcesOf(synthesizedStacks(name)[`${name}-pipeline`], "aws_lambda_function"));
    const archive = fs.readFileSync(path.join(dir, "stacks", `${name}-pipeline`, fn.filename));
    expect(createHash("sha256").update(archive).digest("base64")).toBe(fn.source_code_hash);
    expect(unzip(archive).map(({ name: file, data }) => [file, data.toString()])).toEqual(
      fs.readdirSync(INPUT_VALIDATOR_SOURCE).map((file) => [file, fs.readFileSync(path.join(INPUT_VALIDATOR_SOURCE, file), "utf8")]),
    );
  });
});
