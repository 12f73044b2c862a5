/**
 * The API's SQL against a real PostgreSQL: applies twice with no change; each client role can do exactly what config
 * grants; anon nothing; RLS isolates orgs; authenticator owns nothing and can switch only to the API roles.
 * PostgREST's part is played by a named stand-in (support/postgrest-standin.ts).
 */
import type { Client } from "pg";
import { apiRoles, objectsSql, orgRole, rolesSql } from "../../lib/mock-data-api/sql";
import { environment } from "../support/environments";
import { PostgrestStandIn, signHs256 } from "../support/postgrest-standin";
import { TestPostgres } from "../support/postgres";

const { config } = environment();
const SECRET = "a-backend-token-secret-of-32-chars-or-more";
const AUD = config.mockDataApi.postgrest.audience;
const token = (org: string, extra: Record<string, unknown> = {}) =>
  signHs256({ role: orgRole(org), org, aud: AUD, exp: Math.floor(Date.now() / 1000) + 300, ...extra }, SECRET);

let pg: TestPostgres;
let superuser: Client;
let owner: Client;
let authenticator: Client;
let api: PostgrestStandIn;

beforeAll(async () => {
  pg = await TestPostgres.start();
  superuser = await pg.client();
  await superuser.query("CREATE ROLE mockdata LOGIN PASSWORD 'owner-pw'");
  await superuser.query("CREATE DATABASE mockdata OWNER mockdata");
  const db = await pg.client("postgres", undefined, "mockdata");
  await db.query(rolesSql(config, "authenticator-pw"));
  await db.end();
  owner = await pg.client("mockdata", "owner-pw", "mockdata");
  await owner.query(objectsSql(config));
  authenticator = await pg.client("authenticator", "authenticator-pw", "mockdata");
  api = new PostgrestStandIn(authenticator, SECRET, AUD);
}, 60000);

afterAll(async () => {
  await Promise.all([authenticator?.end(), owner?.end(), superuser?.end()]);
  pg?.stop();
});

describe("applying the SQL", () => {
  test("a second run changes nothing", async () => {
    const before = pg.schemaDump("mockdata");
    const db = await pg.client("postgres", undefined, "mockdata");
    await db.query(rolesSql(config, "authenticator-pw"));
    await db.end();
    await owner.query(objectsSql(config));
    expect(pg.schemaDump("mockdata")).toBe(before);
  });

  test("schema api holds the configured tables, and is the only schema the API roles may use", async () => {
    const { rows } = await owner.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'api' ORDER BY 1");
    expect(rows.map((r) => r.table_name)).toEqual(["orders", "products"]);
    const usage = await superuser.query(
      "SELECT r.rolname FROM pg_roles r WHERE r.rolname = ANY($1) AND has_schema_privilege(r.rolname, 'public', 'CREATE')",
      [apiRoles(config).map((r) => r.name)],
    );
    expect(usage.rows).toEqual([]);
  });
});

describe("each client role can do exactly what config grants", () => {
  const ACTIONS = {
    select: (t: string) => [`SELECT * FROM api.${t}`, []],
    insert: (t: string) => (t === "products" ? ["INSERT INTO api.products (name, price) VALUES ('x', 1)", []] : ["INSERT INTO api.orders (product_id, quantity) VALUES (1, 1)", []]),
    update: (t: string) => [`UPDATE api.${t} SET ${t === "products" ? "name = name" : "quantity = quantity"} WHERE false`, []],
    delete: (t: string) => [`DELETE FROM api.${t} WHERE false`, []],
  } as const;
  const cases = config.mockDataApi.clients.flatMap((client) =>
    config.mockDataApi.tables.flatMap((table) =>
      (Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]).map((privilege) => {
        const granted = client.grants.some((g) => g.table === table.name && g.privileges.includes(privilege));
        return [`${client.name} ${privilege} ${table.name}: ${granted ? "allowed" : "denied"}`, client.name, table.name, privilege, granted] as const;
      }),
    ),
  );

  test.each(cases)("%s", async (_n, org, table, privilege, granted) => {
    const [sql, params] = ACTIONS[privilege](table);
    const attempt = api.query(token(org), sql as string, params as unknown[]);
    if (granted) await expect(attempt).resolves.toBeDefined();
    else await expect(attempt).rejects.toThrow(/permission denied/);
  });
});

test("anon can do nothing", async () => {
  for (const sql of ["SELECT * FROM api.products", "SELECT * FROM api.orders", "INSERT INTO api.products (name) VALUES ('x')"]) {
    await expect(api.query(undefined, sql)).rejects.toThrow(/permission denied/);
  }
});

describe("row-level security isolates orgs on shared tables", () => {
  beforeAll(async () => {
    await api.query(token("acme"), "INSERT INTO api.orders (product_id, quantity) VALUES (1, 5)");
    await api.query(token("acme"), "INSERT INTO api.orders (product_id, quantity) VALUES (2, 7)");
    await owner.query("INSERT INTO api.orders (product_id, quantity, org) VALUES (3, 9, 'globex')");
  });

  test("each org sees its own rows only", async () => {
    const acme = await api.query(token("acme"), "SELECT org, quantity FROM api.orders ORDER BY quantity");
    expect(acme.every((r) => r.org === "acme")).toBe(true);
    expect(acme.map((r) => r.quantity)).toEqual(expect.arrayContaining([5, 7]));
    const globex = await api.query(token("globex"), "SELECT org, quantity FROM api.orders");
    expect(globex).toEqual([{ org: "globex", quantity: 9 }]);
  });

  test("a row written for another org is refused", async () => {
    await expect(api.query(token("acme"), "INSERT INTO api.orders (product_id, quantity, org) VALUES (1, 1, 'globex')")).rejects.toThrow(/row-level security/);
  });

  test("the org comes from the token's claim, not from what the client would like", async () => {
    const forged = signHs256({ role: orgRole("acme"), org: "globex", aud: AUD, exp: Math.floor(Date.now() / 1000) + 60 }, "another-secret-of-at-least-32-chars!!");
    expect(() => api.verify(forged)).toThrow("401 bad signature");
  });
});

describe("authenticator", () => {
  test("owns nothing and holds no privilege of its own (NOINHERIT)", async () => {
    const owned = await superuser.query(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'authenticator'",
    );
    expect(owned.rows[0].n).toBe(0);
    await expect(authenticator.query("SELECT * FROM api.products")).rejects.toThrow(/permission denied/);
    const attrs = await superuser.query("SELECT rolinherit, rolcreaterole, rolcreatedb, rolsuper FROM pg_roles WHERE rolname = 'authenticator'");
    expect(attrs.rows[0]).toEqual({ rolinherit: false, rolcreaterole: false, rolcreatedb: false, rolsuper: false });
  });

  test.each(["anon", "org_acme", "org_globex"])("may switch to the API role %s", async (role) => {
    await authenticator.query("BEGIN");
    await expect(authenticator.query(`SET LOCAL ROLE ${role}`)).resolves.toBeDefined();
    await authenticator.query("ROLLBACK");
  });

  test.each(["mockdata", "postgres", "pg_read_all_data"])("may not switch to %s", async (role) => {
    await authenticator.query("BEGIN");
    await expect(authenticator.query(`SET LOCAL ROLE ${role}`)).rejects.toThrow(/permission denied to set role/);
    await authenticator.query("ROLLBACK");
  });
});

describe("the stand-in checks tokens as PostgREST does", () => {
  test.each([
    ["another audience", { aud: "someone-else" }, "401 wrong audience"],
    ["expired", { exp: Math.floor(Date.now() / 1000) - 1 }, "401 expired"],
  ])("%s", (_n, extra, message) => {
    expect(() => api.verify(token("acme", extra))).toThrow(message);
  });
});
