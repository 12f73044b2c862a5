/**
 * secrets/<env>.tfvars.gpg stays readable and writable with plain gpg 2.2, in both directions: symmetric and
 * public-key, binary and ASCII-armored (DESIGN §3). These tests run the real gpg binary.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decryptText, encryptText, readPrivateKey, readPublicKeys } from "../../lib/secrets/crypto";
import { Gpg } from "../support/gpg";

const PLAINTEXT = 'db_password = "s3cr3t \\"quoted\\" ${not-an-interpolation}"\nsmtp = { user = "a", port = 587 }\n';
const PASSPHRASE = "correct horse battery staple";

let gpg: Gpg;
let dir: string;
beforeAll(() => {
  gpg = new Gpg();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "interop-"));
});
afterAll(() => {
  gpg.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, data: Uint8Array | string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
};

describe("symmetric (gpg --symmetric --cipher-algo AES256)", () => {
  test.each([["binary", false], ["armored", true]])("a %s file made by gpg opens here", async (_kind, armor) => {
    const out = path.join(dir, `gpg-sym-${armor}.gpg`);
    gpg.run(["--passphrase", PASSPHRASE, "--symmetric", "--cipher-algo", "AES256", ...(armor ? ["--armor"] : []), "--output", out], PLAINTEXT);
    expect(await decryptText(fs.readFileSync(out), "f.gpg", { passphrase: PASSPHRASE })).toBe(PLAINTEXT);
  });

  test.each([["binary", false], ["armored", true]])("a %s file made here opens with gpg", async (_kind, armor) => {
    const file = write(`ours-sym-${armor}.gpg`, await encryptText(PLAINTEXT, { passphrase: PASSPHRASE, armor }));
    expect(gpg.run(["--passphrase", PASSPHRASE, "--decrypt", file]).toString()).toBe(PLAINTEXT);
  });

  test("what we write is what gpg 2.2 expects: SKESK v4, iterated S2K, AES-256, SEIPD with MDC, no AEAD", async () => {
    const file = write("packets.gpg", await encryptText(PLAINTEXT, { passphrase: PASSPHRASE }));
    const packets = gpg.listPackets(file, PASSPHRASE);
    expect(packets).toMatch(/symkey enc packet: version 4, cipher 9, aead 0,s2k 3/);
    expect(packets).toMatch(/encrypted data packet:[\s\S]*mdc_method: 2/);
    expect(packets).not.toMatch(/aead encrypted packet|version 5|version 6/);
  });

  test("a wrong passphrase on gpg's own file is called a wrong passphrase, not damage", async () => {
    const out = path.join(dir, "gpg-wrong.gpg");
    gpg.run(["--passphrase", PASSPHRASE, "--symmetric", "--cipher-algo", "AES256", "--output", out], PLAINTEXT);
    await expect(decryptText(fs.readFileSync(out), "f.gpg", { passphrase: "nope" })).rejects.toThrow("f.gpg: wrong passphrase");
  });

  test("a damaged gpg file is called damaged", async () => {
    const out = path.join(dir, "gpg-damaged.gpg");
    gpg.run(["--passphrase", PASSPHRASE, "--symmetric", "--cipher-algo", "AES256", "--output", out], PLAINTEXT);
    const bytes = fs.readFileSync(out);
    bytes[bytes.length - 8] ^= 0xff;
    await expect(decryptText(bytes, "f.gpg", { passphrase: PASSPHRASE })).rejects.toThrow("f.gpg: integrity check failed");
  });
});

describe.each([
  ["ed25519/cv25519 (gpg's future-default)", "future-default"],
  ["RSA 3072", "rsa3072"],
])("public key, %s", (_label, algo) => {
  let fingerprint: string;
  beforeAll(() => {
    fingerprint = gpg.generateKey(`Member ${algo} <${algo}@example.com>`, algo);
  });

  test.each([["binary", false], ["armored", true]])("a %s file made here opens with the member's gpg", async (_kind, armor) => {
    const recipients = await readPublicKeys(Buffer.from(gpg.exportPublic(fingerprint)), "member.asc");
    const file = write(`ours-pk-${algo}-${armor}.gpg`, await encryptText(PLAINTEXT, { recipients, armor }));
    expect(gpg.run(["--decrypt", file]).toString()).toBe(PLAINTEXT);
  });

  test.each([["binary", false], ["armored", true]])("a %s file gpg encrypted to the member opens here with the member's key", async (_kind, armor) => {
    const out = path.join(dir, `gpg-pk-${algo}-${armor}.gpg`);
    gpg.run(["--trust-model", "always", "--recipient", fingerprint, "--encrypt", ...(armor ? ["--armor"] : []), "--output", out], PLAINTEXT);
    const key = await readPrivateKey(gpg.exportSecret(fingerprint), "member-secret.asc");
    expect(await decryptText(fs.readFileSync(out), "f.gpg", { privateKeys: [key] })).toBe(PLAINTEXT);
  });

  test("a file for the member and a passphrase opens with either, in gpg", async () => {
    const recipients = await readPublicKeys(Buffer.from(gpg.exportPublic(fingerprint)), "member.asc");
    const file = write(`both-${algo}.gpg`, await encryptText(PLAINTEXT, { recipients, passphrase: PASSPHRASE }));
    expect(gpg.run(["--decrypt", file]).toString()).toBe(PLAINTEXT);
    const other = new Gpg(); // a machine without the member's key
    try {
      expect(other.run(["--passphrase", PASSPHRASE, "--decrypt", file]).toString()).toBe(PLAINTEXT);
    } finally {
      other.dispose();
    }
  });
});
