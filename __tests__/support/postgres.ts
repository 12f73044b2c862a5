/**
 * A real PostgreSQL server (Debian's) for tests: a fresh cluster in a temp directory, on a free loopback port,
 * run as the `postgres` system user (initdb refuses root), stopped and removed afterwards.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (!versions.length) throw new Error("PostgreSQL server not installed (apt-get install postgresql); .ci/run installs it");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const SUPERUSER_PASSWORD = "test-superuser";

export class TestPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<TestPostgres> {
    const bin = binDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-"));
    const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
    if (asPostgres.length) execFileSync("chown", ["-R", "postgres:postgres", dir]);
    fs.writeFileSync(path.join(dir, "pw"), SUPERUSER_PASSWORD);
    if (asPostgres.length) execFileSync("chown", ["postgres:postgres", path.join(dir, "pw")]);
    const run = (cmd: string, args: string[]) => {
      const [head, ...rest] = [...asPostgres, path.join(bin, cmd), ...args];
      execFileSync(head, rest, { stdio: "pipe" });
    };
    run("initdb", ["-D", path.join(dir, "data"), "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${path.join(dir, "pw")}`, "-E", "UTF8", "--locale=C"]);
    const port = await freePort();
    run("pg_ctl", ["-D", path.join(dir, "data"), "-l", path.join(dir, "log"), "-w", "-o", `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`, "start"]);
    return new TestPostgres(port, dir, bin);
  }

  async client(user = "postgres", password = SUPERUSER_PASSWORD, database = "postgres"): Promise<Client> {
    const client = new Client({ host: "127.0.0.1", port: this.port, user, password, database });
    await client.connect();
    return client;
  }

  /** The server's bin directory (psql, pg_dump, pg_restore). */
  get binDir(): string {
    return this.bin;
  }

  /** A connection URI. */
  uri(user: string, password: string, database: string): string {
    return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  /** pg_dump of a database in `format` (p: plain SQL, c: custom) into `file`. */
  dump(database: string, format: "p" | "c", file: string): void {
    execFileSync(path.join(this.bin, "pg_dump"), ["-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", `-F${format}`, "--no-owner", "--no-privileges", "-f", file, database], {
      env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD },
    });
  }

  /** pg_dump --schema-only of a database (for "nothing changed" comparisons). */
  schemaDump(database: string): string {
    return execFileSync(path.join(this.bin, "pg_dump"), ["-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", "--schema-only", "--no-comments", database], {
      env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD },
      encoding: "utf8",
    }).replace(/^\\(un)?restrict .*$/gm, ""); // a random key per dump (pg_dump's \restrict guard)
  }

  stop(): void {
    const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
    const [head, ...rest] = [...asPostgres, path.join(this.bin, "pg_ctl"), "-D", path.join(this.dir, "data"), "-m", "immediate", "-w", "stop"];
    try {
      execFileSync(head, rest, { stdio: "pipe" });
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
