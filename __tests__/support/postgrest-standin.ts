/**
 * A STAND-IN for PostgREST (which cannot be installed here), doing with a request what PostgREST does: verify the
 * HS256 backend token (signature, `exp`, `aud`) with the same secret, then in one transaction as `authenticator`:
 * `SET LOCAL ROLE <role claim>`, put the claims in `request.jwt.claims`, and run the query as that role.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Client } from "pg";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** Signs an HS256 JWT (what the project's tooling makes as backend tokens). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

export class PostgrestStandIn {
  constructor(
    private readonly authenticator: Client,
    private readonly secret: string,
    private readonly audience: string,
    private readonly anonRole = "anon",
  ) {}

  /** Verifies like PostgREST; returns the claims or throws "401 ...". */
  verify(token: string | undefined): Record<string, any> {
    if (!token) return { role: this.anonRole };
    const [head, body, sig] = token.split(".");
    if (!head || !body || !sig) throw new Error("401 malformed token");
    const header = JSON.parse(Buffer.from(head, "base64url").toString());
    if (header.alg !== "HS256") throw new Error("401 wrong algorithm");
    const expected = createHmac("sha256", this.secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("401 bad signature");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    if (typeof claims.exp === "number" && claims.exp <= Date.now() / 1000) throw new Error("401 expired");
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(this.audience)) throw new Error("401 wrong audience");
    return claims;
  }

  /** Runs `sql` as the token's role; resolves rows or rejects with the database's error. */
  async query(token: string | undefined, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const claims = this.verify(token);
    const c = this.authenticator;
    await c.query("BEGIN");
    try {
      await c.query(`SET LOCAL ROLE ${JSON.stringify(String(claims.role))}`);
      await c.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      const result = await c.query(sql, params);
      await c.query("COMMIT");
      return result.rows;
    } catch (e) {
      await c.query("ROLLBACK");
      throw e;
    }
  }
}
