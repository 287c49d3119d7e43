import { SpawnSyncReturns, execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A real PostgreSQL server for the run, on loopback and a socket in a temporary directory, started from the server
 * binaries Debian's `postgresql` package installs (`/usr/lib/postgresql/<major>/bin`; `.ci/run` installs it on a fresh
 * machine) or `$PG_BIN`. Trust authentication: any role connects as itself, so tests act as each role. As root, the
 * server runs as the `postgres` user (initdb refuses root).
 */
export interface LocalPostgres {
  /** Socket directory (the `host` of every connection). */
  readonly host: string;
  readonly port: number;
  /** Server major version. */
  readonly major: number;
  /** libpq environment for a connection as `user` to `database`. */
  env(user: string, database: string): NodeJS.ProcessEnv;
  /** Runs `sql` with psql as `user` in `database`; stdout (unaligned, tuples only) or the thrown error's stderr. */
  psql(sql: string, user: string, database: string): PsqlResult;
  /** Stops the server and removes its files. */
  stop(): void;
}

/** What psql printed, and whether it succeeded. */
export interface PsqlResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** The server binaries: `$PG_BIN`, or the newest Debian major installed. */
export function postgresBinaries(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const majors = fs
    .readdirSync(root)
    .filter((major) => fs.existsSync(path.join(root, major, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? path.join(root, majors[0], "bin") : undefined;
}

export function startPostgres(): LocalPostgres {
  const bin = postgresBinaries();
  if (!bin) throw new Error("No PostgreSQL server binaries: install Debian's postgresql package (.ci/run does) or set PG_BIN");
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metrics-pg-"));
  const data = path.join(dir, "data");
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (command: string, args: string[]) =>
    asRoot ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args], { stdio: "pipe" }) : execFileSync(path.join(bin, command), args, { stdio: "pipe" });
  const port = 20000 + Math.floor(Math.random() * 20000);
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-instructions", "--no-sync"]);
  run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-w", "start"]);
  const major = Number(path.basename(path.dirname(bin)));
  const env = (user: string, database: string): NodeJS.ProcessEnv => ({ ...process.env, PGHOST: dir, PGPORT: String(port), PGUSER: user, PGDATABASE: database, PGPASSWORD: "", PGSSLMODE: "disable" });
  const psql = (sql: string, user: string, database: string): PsqlResult => {
    const result: SpawnSyncReturns<string> = spawnSync("psql", ["--no-psqlrc", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql], { env: env(user, database), encoding: "utf8" });
    return { ok: result.status === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
  };
  return {
    host: dir,
    port,
    major,
    env,
    psql,
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
