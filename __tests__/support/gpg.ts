/** The real gpg binary in a throw-away home, for interoperability tests. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export class Gpg {
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), "gnupg-"));

  constructor() {
    fs.chmodSync(this.home, 0o700);
  }

  /** Runs gpg with `args`, `input` on stdin; returns stdout. Throws with gpg's stderr on failure. */
  run(args: string[], input?: string | Uint8Array): Buffer {
    return execFileSync("gpg", ["--homedir", this.home, "--batch", "--no-tty", "--pinentry-mode", "loopback", ...args], {
      input,
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  /** Generates a key without passphrase; returns its fingerprint. `algo`: future-default (ed25519/cv25519) or rsa3072. */
  generateKey(uid: string, algo = "future-default"): string {
    this.run(["--passphrase", "", "--quick-gen-key", uid, algo, algo === "future-default" ? "default" : "cert,sign", "never"]);
    const listing = this.run(["--with-colons", "--list-keys", uid]).toString();
    const fingerprint = listing.split("\n").find((l) => l.startsWith("fpr:"))!.split(":")[9];
    // Other algorithms make a primary key only: add the encryption subkey a member's key has.
    if (algo !== "future-default") this.run(["--passphrase", "", "--quick-add-key", fingerprint, algo, "encr", "never"]);
    return fingerprint;
  }

  exportPublic(fingerprint: string): string {
    return this.run(["--armor", "--export", fingerprint]).toString();
  }

  exportSecret(fingerprint: string): string {
    return this.run(["--passphrase", "", "--armor", "--export-secret-keys", fingerprint]).toString();
  }

  /** The packets of a message as gpg lists them (does not need the key). */
  listPackets(file: string, passphrase?: string): string {
    const args = passphrase ? ["--passphrase", passphrase, "--list-packets", file] : ["--list-only", "--list-packets", file];
    try {
      return this.run(args).toString();
    } catch (e) {
      return String((e as { stdout?: Buffer }).stdout ?? "");
    }
  }

  dispose(): void {
    try {
      execFileSync("gpgconf", ["--homedir", this.home, "--kill", "all"], { stdio: "ignore" });
    } catch {
      /* no agent was started */
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
