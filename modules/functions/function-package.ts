import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deflateRawSync } from "node:zlib";

/**
 * A Lambda deployment package built in the synth's own process: the files of a source directory in a zip that is
 * the same bytes for the same files (sorted entries, fixed timestamps), so its SHA-256 is what Lambda reports as the
 * function's CodeSha256 and a plan shows a code change only when the code changed. (cdktf's ARCHIVE assets zip in a
 * child Node process per asset and per stack, which costs a second of every synth.)
 */
export interface FunctionPackage {
  /** Absolute path of the zip (content-addressed, under the OS's temporary directory). */
  readonly path: string;
  /** Base64 SHA-256 of the zip: the function's `source_code_hash`. */
  readonly base64Sha256: string;
  /** Hex SHA-256 of the zip, for names. */
  readonly hexSha256: string;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** CRC-32 (IEEE), as zip entries carry it. */
export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Every file under `dir`, as posix paths relative to it, sorted. */
function filesOf(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesOf(dir, path.posix.join(prefix, entry.name)) : entry.isFile() ? [path.posix.join(prefix, entry.name)] : []))
    .sort();
}

// 1980-01-01 00:00 in MS-DOS format: zip's earliest date, the same for every build.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
// Created on Unix, regular file rw-r--r--: Lambda's runtime user must be able to read it.
const MADE_BY_UNIX = (3 << 8) | 20;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

/** The zip of `files` (name and contents), deflated, in the order given. */
export function zip(files: ReadonlyArray<{ readonly name: string; readonly data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    const compressed = deflateRawSync(file.data, { level: 9 });
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(REGULAR_FILE_0644, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Packages every file of `sourceDir` as `<name>.zip` (written once per content; concurrent synths share it). */
export function packageFunction(sourceDir: string, name: string): FunctionPackage {
  const archive = zip(filesOf(sourceDir).map((file) => ({ name: file, data: fs.readFileSync(path.join(sourceDir, file)) })));
  const digest = createHash("sha256").update(archive).digest();
  const hexSha256 = digest.toString("hex");
  const target = path.join(os.tmpdir(), "proteomics-functions", hexSha256, `${name}.zip`);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    fs.writeFileSync(partial, archive);
    fs.renameSync(partial, target);
  }
  return { path: target, base64Sha256: digest.toString("base64"), hexSha256 };
}
