/**
 * The data loader's load step against a real PostgreSQL, with fixture dumps made by pg_dump in both formats, and
 * corrupt dumps: a corrupt one fails with a non-zero exit and leaves the database unchanged.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Client } from "pg";
import { loadScript } from "../../lib/mock-data-api/loader";
import { TestPostgres } from "../support/postgres";

let pg: TestPostgres;
let superuser: Client;
let dir: string;
const script = () => path.join(dir, "load.sh");

beforeAll(async () => {
  pg = await TestPostgres.start();
  superuser = await pg.client();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loader-"));
  fs.writeFileSync(script(), loadScript(), { mode: 0o755 });
  // A source database with data, dumped in both formats.
  await superuser.query("CREATE DATABASE source");
  const source = await pg.client("postgres", undefined, "source");
  await source.query("CREATE TABLE legacy_items (id int primary key, label text); INSERT INTO legacy_items SELECT g, 'item ' || g FROM generate_series(1, 500) g;");
  await source.end();
  pg.dump("source", "p", path.join(dir, "dump.sql"));
  pg.dump("source", "c", path.join(dir, "dump.custom"));
}, 60000);

afterAll(async () => {
  await superuser?.end();
  pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freshTarget(name: string): Promise<void> {
  await superuser.query(`CREATE DATABASE ${name}`);
  const db = await pg.client("postgres", undefined, name);
  await db.query("CREATE TABLE sentinel (note text); INSERT INTO sentinel VALUES ('before the load')");
  await db.end();
}

function load(dump: string, database: string) {
  const result = spawnSync("sh", [script()], {
    env: { PATH: `${pg.binDir}:/usr/bin:/bin`, DUMP_FILE: dump, DATABASE_URI: pg.uri("postgres", "test-superuser", database) },
    encoding: "utf8",
  });
  return { ...result, lines: result.stdout.trim().split("\n").filter(Boolean) };
}

async function tables(database: string): Promise<string[]> {
  const db = await pg.client("postgres", undefined, database);
  const { rows } = await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  await db.end();
  return rows.map((r) => r.tablename);
}

test.each([
  ["plain SQL", "dump.sql", "plain"],
  ["pg_dump custom format", "dump.custom", "custom"],
])("loads a %s dump in one transaction, one log line per step", async (_n, file, format) => {
  const db = `target_${format}`;
  await freshTarget(db);
  const { status, lines, stderr } = load(path.join(dir, file), db);
  expect({ status, stderr: stderr.trim() }).toEqual({ status: 0, stderr: "" });
  expect(lines.map((l) => l.replace(/^\S+ /, ""))).toEqual([
    expect.stringMatching(new RegExp(`^data-loader step=check status=done format=${format} bytes=\\d+$`)),
    `data-loader step=load status=started format=${format} single-transaction=true`,
    `data-loader step=load status=done format=${format}`,
  ]);
  const c = await pg.client("postgres", undefined, db);
  expect((await c.query("SELECT count(*)::int AS n FROM legacy_items")).rows[0].n).toBe(500);
  await c.end();
});

test.each([
  ["a truncated custom-format dump", "truncated.custom", (d: Buffer) => d.subarray(0, Math.floor(d.length / 2)), "dump.custom"],
  ["a plain dump that breaks halfway", "broken.sql", (d: Buffer) => Buffer.concat([d, Buffer.from("\nTHIS IS NOT SQL;\n")]), "dump.sql"],
  ["garbage", "garbage.bin", () => Buffer.from("\x00\x01 not a dump at all"), "dump.sql"],
])("%s fails with a non-zero exit and leaves the database unchanged", async (_n, name, corrupt, from) => {
  const db = `target_${name.replace(/\W/g, "_")}`;
  await freshTarget(db);
  const file = path.join(dir, name);
  fs.writeFileSync(file, corrupt(fs.readFileSync(path.join(dir, from))));
  const before = await tables(db);
  const { status, lines } = load(file, db);
  expect(status).toBe(1);
  expect(lines.at(-1)).toMatch(/step=(check|load) status=failed/);
  expect(await tables(db)).toEqual(before);
});

test("an empty or missing dump is refused before touching the database", () => {
  const { status, lines } = load(path.join(dir, "nowhere.dump"), "postgres");
  expect(status).toBe(1);
  expect(lines[0]).toMatch(/step=check status=failed no dump or an empty one/);
});
