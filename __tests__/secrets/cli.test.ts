/**
 * npm run secrets -- <command>: every command, and every bad input with its one-line message.
 * No command may leave a partial or plaintext file behind.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { keyPair, ScratchProject, secrets } from "../support/secrets";

const PASS = { TFVARS_PASSPHRASE: "example passphrase" };
const TFVARS = 'grafana_admin_password = "hunter2"\nsmtp_password = "s3cret"\n';

let project: ScratchProject;
beforeEach(() => {
  project = new ScratchProject();
});
afterEach(() => project.dispose());

const encrypt = (text = TFVARS, env: NodeJS.ProcessEnv = PASS, extra: string[] = []) => secrets(project, ["encrypt", "example", ...extra], { env, stdin: text });
const decrypt = (env: NodeJS.ProcessEnv = PASS) => secrets(project, ["decrypt", "example", "--stdout"], { env });
const fileBytes = () => fs.readFileSync(project.path("secrets", "example.tfvars.gpg"));

describe("encrypt and decrypt", () => {
  test("a round trip gives back the plaintext; the file on disk holds none of it", async () => {
    expect(await encrypt()).toMatchObject({ code: 0, stderr: "secrets: wrote secrets/example.tfvars.gpg\n" });
    expect(fileBytes().toString("latin1")).not.toContain("hunter2");
    expect(await decrypt()).toEqual({ code: 0, stdout: TFVARS, stderr: "" });
    expect(project.secretsFiles()).toEqual(["example.tfvars.gpg"]);
  });

  test("--armor writes ASCII armor, and edits keep it", async () => {
    await encrypt(TFVARS, PASS, ["--armor"]);
    expect(fileBytes().toString()).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    await secrets(project, ["edit", "example"], { env: PASS, editor: (f) => (fs.appendFileSync(f, 'x = "1"\n'), 0) });
    expect(fileBytes().toString()).toMatch(/^-----BEGIN PGP MESSAGE-----/);
  });

  test("decrypt refuses to print without --stdout", async () => {
    await encrypt();
    const { code, stdout, stderr } = await secrets(project, ["decrypt", "example"], { env: PASS });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^secrets: decrypt prints the plaintext only with --stdout/);
  });

  test("plaintext that is not valid HCL is refused with its position and nothing is written", async () => {
    const { code, stderr } = await encrypt('a = "ok"\nb = unquoted value\n');
    expect(code).toBe(1);
    expect(stderr).toBe("stdin:2:14: Missing newline after argument; An argument definition must end with a newline\n");
    expect(project.secretsFiles()).toEqual([]);
  });

  test("replacing a file is atomic: a failed encrypt leaves the old file as it was", async () => {
    await encrypt();
    const before = fileBytes();
    expect((await encrypt("not = = hcl")).code).toBe(1);
    expect(fileBytes().equals(before)).toBe(true);
    expect(project.secretsFiles()).toEqual(["example.tfvars.gpg"]);
  });
});

describe("the passphrase", () => {
  test("is never taken from the command line", async () => {
    for (const argv of [["decrypt", "example", "--stdout", "--passphrase=x"], ["decrypt", "example", "--stdout", "--passphrase", "x"]]) {
      const { code, stderr } = await secrets(project, argv);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^secrets: a passphrase is never taken from the command line/);
    }
  });

  test("can come from a file descriptor (first line)", async () => {
    await encrypt();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fd-")), "pass");
    fs.writeFileSync(file, "example passphrase\nignored second line\n");
    const fd = fs.openSync(file, "r");
    try {
      expect(await secrets(project, ["decrypt", "example", "--stdout", "--passphrase-fd", String(fd)])).toMatchObject({ code: 0, stdout: TFVARS });
    } finally {
      fs.closeSync(fd);
    }
  });

  test("can come from the terminal prompt, asked twice for a new file", async () => {
    const prompts: string[] = [];
    const ask = async (p: string) => (prompts.push(p), "typed passphrase");
    expect((await secrets(project, ["encrypt", "example"], { stdin: TFVARS, ask })).code).toBe(0);
    expect(prompts).toEqual(["Passphrase for secrets/example.tfvars.gpg: ", "Repeat it: "]);
    expect(await decrypt({ TFVARS_PASSPHRASE: "typed passphrase" })).toMatchObject({ code: 0, stdout: TFVARS });
  });

  test("two different answers at the prompt write nothing", async () => {
    let n = 0;
    const { code, stderr } = await secrets(project, ["encrypt", "example"], { stdin: TFVARS, ask: async () => `answer ${n++}` });
    expect({ code, stderr }).toEqual({ code: 1, stderr: "the two passphrases differ\n" });
    expect(project.secretsFiles()).toEqual([]);
  });

  test("an empty passphrase is refused and nothing is written", async () => {
    expect(await encrypt(TFVARS, { TFVARS_PASSPHRASE: "" })).toMatchObject({ code: 1, stderr: "the passphrase is empty\n" });
    expect(project.secretsFiles()).toEqual([]);
  });

  test("without any source and no terminal, says where it could come from", async () => {
    expect(await encrypt(TFVARS, {})).toMatchObject({
      code: 1,
      stderr: "no passphrase: set TFVARS_PASSPHRASE, pass --passphrase-fd N, or run in a terminal to be asked\n",
    });
  });
});

describe("files that do not open", () => {
  test("a wrong passphrase says so, and nothing is written", async () => {
    await encrypt();
    const before = fileBytes();
    expect(await decrypt({ TFVARS_PASSPHRASE: "wrong" })).toEqual({ code: 1, stdout: "", stderr: "secrets/example.tfvars.gpg: wrong passphrase\n" });
    expect((await secrets(project, ["edit", "example"], { env: { TFVARS_PASSPHRASE: "wrong" }, editor: () => 0 })).code).toBe(1);
    expect(fileBytes().equals(before)).toBe(true);
    expect(project.secretsFiles()).toEqual(["example.tfvars.gpg"]);
  });

  test("tampered ciphertext fails its integrity check", async () => {
    await encrypt();
    const bytes = fileBytes();
    bytes[bytes.length - 5] ^= 0x01;
    fs.writeFileSync(project.path("secrets", "example.tfvars.gpg"), bytes);
    expect(await decrypt()).toMatchObject({
      code: 1,
      stderr: "secrets/example.tfvars.gpg: integrity check failed: the file was modified or damaged (restore it from git)\n",
    });
  });

  test("a file that is not OpenPGP is named as such", async () => {
    fs.writeFileSync(project.path("secrets", "example.tfvars.gpg"), 'password = "in clear"\n');
    expect(await decrypt()).toMatchObject({
      code: 1,
      stderr: "secrets/example.tfvars.gpg: not an OpenPGP message (neither gpg binary nor ASCII armor)\n",
    });
  });

  test("a file not encrypted to any of your keys says which keys it is for", async () => {
    const alice = await keyPair("alice@example.com");
    const bob = await keyPair("bob@example.com");
    fs.writeFileSync(project.path("alice.asc"), alice.publicKey);
    await secrets(project, ["recipients", "add", "example", "alice.asc"]);
    await encrypt(TFVARS, {}, ["--no-passphrase"]);
    fs.writeFileSync(project.path("bob.key"), bob.privateKey);
    const { code, stderr } = await decrypt({ TFVARS_PRIVATE_KEY_FILE: project.path("bob.key") });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^secrets\/example\.tfvars\.gpg: not encrypted to any of your keys \([0-9A-F]{16}\); it opens with the private key of one of [0-9A-F]{16}/);
  });

  test("a missing file says how to create it", async () => {
    expect(await decrypt()).toMatchObject({ code: 1, stderr: "secrets/example.tfvars.gpg: no such file (create it with npm run secrets -- edit example)\n" });
  });
});

describe("edit", () => {
  test("edits a private 0600 copy in a private directory, re-encrypts, and removes the copy", async () => {
    await encrypt();
    let seen = "";
    const editor = (file: string) => {
      seen = file;
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("hunter2", "correct-horse"));
      return 0;
    };
    expect(await secrets(project, ["edit", "example"], { env: PASS, editor })).toMatchObject({ code: 0, stderr: "secrets: wrote secrets/example.tfvars.gpg\n" });
    expect(fs.existsSync(path.dirname(seen))).toBe(false);
    expect((await decrypt()).stdout).toContain('grafana_admin_password = "correct-horse"');
  });

  test("an unchanged file is not rewritten", async () => {
    await encrypt();
    const before = fileBytes();
    expect(await secrets(project, ["edit", "example"], { env: PASS, editor: () => 0 })).toMatchObject({ code: 0, stderr: "secrets: no change to secrets/example.tfvars.gpg\n" });
    expect(fileBytes().equals(before)).toBe(true);
  });

  test("refuses to save an edit that does not parse, and removes the copy", async () => {
    await encrypt();
    const before = fileBytes();
    let seen = "";
    const editor = (file: string) => ((seen = file), fs.appendFileSync(file, "broken = \n"), 0);
    const { code, stderr } = await secrets(project, ["edit", "example"], { env: PASS, editor, ask: async () => "n" });
    expect(code).toBe(1);
    expect(stderr).toContain("example.tfvars:3:10: Invalid expression");
    expect(stderr).toContain("secrets/example.tfvars.gpg: not saved, the edit does not parse");
    expect(fileBytes().equals(before)).toBe(true);
    expect(fs.existsSync(path.dirname(seen))).toBe(false);
  });

  test("offers to edit again after a parse error, then saves the fixed file", async () => {
    await encrypt();
    let round = 0;
    const editor = (file: string) => {
      fs.writeFileSync(file, round++ === 0 ? "oops = \n" : 'fixed = "yes"\n');
      return 0;
    };
    expect((await secrets(project, ["edit", "example"], { env: PASS, editor, ask: async () => "y" })).code).toBe(0);
    expect((await decrypt()).stdout).toBe('fixed = "yes"\n');
  });

  test("an editor that fails saves nothing and still removes the copy", async () => {
    await encrypt();
    const before = fileBytes();
    let seen = "";
    const editor = (file: string) => ((seen = file), fs.writeFileSync(file, 'changed = "1"\n'), 1);
    expect(await secrets(project, ["edit", "example"], { env: PASS, editor })).toMatchObject({ code: 1, stderr: "the editor exited with 1; nothing saved\n" });
    expect(fileBytes().equals(before)).toBe(true);
    expect(fs.existsSync(path.dirname(seen))).toBe(false);
  });

  test("creates a new file from a commented template", async () => {
    const editor = (file: string) => {
      expect(fs.readFileSync(file, "utf8")).toMatch(/^# secrets\/example\.tfvars\.gpg: HCL tfvars/);
      fs.appendFileSync(file, 'first = "value"\n');
      return 0;
    };
    expect((await secrets(project, ["edit", "example"], { env: PASS, editor })).code).toBe(0);
    expect((await decrypt()).stdout).toContain('first = "value"');
  });
});

describe("check", () => {
  const declared = {
    "example-commons": [{ name: "grafana_admin_password" }, { name: "smtp_password" }],
    "example-identity": [{ name: "entra_client_secret" }, { name: "optional_token", required: false }],
  };

  test("every key declared and every required variable present: ok", async () => {
    await encrypt(`${TFVARS}entra_client_secret = "x"\n`);
    expect(await secrets(project, ["check", "example"], { env: PASS, declared })).toEqual({
      code: 0,
      stdout: "",
      stderr: "secrets: secrets/example.tfvars.gpg ok: 3 value(s), all 3 required present\n",
    });
  });

  test("reports unknown keys and missing required variables, all at once", async () => {
    await encrypt('grafana_admin_pasword = "typo"\nsmtp_password = "s"\nleftover = "x"\n');
    const { code, stderr } = await secrets(project, ["check", "example"], { env: PASS, declared });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      "secrets/example.tfvars.gpg: grafana_admin_pasword: not a variable of any stack of example (did you mean grafana_admin_password?)",
      "secrets/example.tfvars.gpg: leftover: not a variable of any stack of example",
      "secrets/example.tfvars.gpg: grafana_admin_password: missing, required by example-commons (the grafana_admin_password)",
      "secrets/example.tfvars.gpg: entra_client_secret: missing, required by example-identity (the entra_client_secret)",
    ]);
  });

  test("malformed HCL inside the file is reported with line and column", async () => {
    // encrypt and edit refuse such text, so the file is made through the crypto layer (as gpg could make it)
    const { encryptText } = await import("../../lib/secrets/crypto");
    fs.writeFileSync(project.path("secrets", "example.tfvars.gpg"), await encryptText("a = \n", { passphrase: PASS.TFVARS_PASSPHRASE }));
    const { code, stderr } = await secrets(project, ["check", "example"], { env: PASS, declared });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^secrets\/example\.tfvars\.gpg:1:5: Invalid expression/);
  });

  test("an environment without config is a config error", async () => {
    expect(await secrets(project, ["check", "nowhere"], { env: PASS })).toMatchObject({
      code: 1,
      stderr: "config/nowhere.yaml: (file): nothing, expected a config file (known environments: example)\n",
    });
  });
});

describe("recipients", () => {
  test("add re-encrypts to the new member, who can then open the file with their key alone", async () => {
    await encrypt();
    const alice = await keyPair("alice@example.com");
    fs.writeFileSync(project.path("alice.asc"), alice.publicKey);
    expect(await secrets(project, ["recipients", "add", "example", "alice.asc"], { env: PASS })).toMatchObject({
      code: 0,
      stderr: "secrets: example has 1 recipient(s); secrets/example.tfvars.gpg re-encrypted\n",
    });
    fs.writeFileSync(project.path("alice.key"), alice.privateKey);
    expect(await decrypt({ TFVARS_PRIVATE_KEY_FILE: project.path("alice.key") })).toMatchObject({ code: 0, stdout: TFVARS });
    expect(await decrypt()).toMatchObject({ code: 0, stdout: TFVARS }); // the passphrase still opens it
    const list = await secrets(project, ["recipients", "list", "example"]);
    expect(list.stdout).toMatch(new RegExp(`^${alice.fingerprint}  alice <alice@example.com>  created \\d{4}-\\d\\d-\\d\\d\\n$`));
    expect(project.secretsFiles()).toEqual(["example.recipients.asc", "example.tfvars.gpg"]);
  });

  test("remove re-encrypts without the member and warns about git history", async () => {
    const alice = await keyPair("alice@example.com");
    fs.writeFileSync(project.path("alice.asc"), alice.publicKey);
    await secrets(project, ["recipients", "add", "example", "alice.asc"]);
    await encrypt();
    const { code, stderr } = await secrets(project, ["recipients", "remove", "example", "alice@example.com"], { env: PASS });
    expect(code).toBe(0);
    expect(stderr).toContain("rotate the secrets they knew");
    fs.writeFileSync(project.path("alice.key"), alice.privateKey);
    expect((await decrypt({ TFVARS_PRIVATE_KEY_FILE: project.path("alice.key") })).code).toBe(1);
    expect(project.secretsFiles()).toEqual(["example.tfvars.gpg"]);
  });

  test("refuses to remove the last way to open a file", async () => {
    const alice = await keyPair("alice@example.com");
    fs.writeFileSync(project.path("alice.asc"), alice.publicKey);
    fs.writeFileSync(project.path("alice.key"), alice.privateKey);
    await secrets(project, ["recipients", "add", "example", "alice.asc"]);
    await encrypt(TFVARS, {}, ["--no-passphrase"]);
    const { code, stderr } = await secrets(project, ["recipients", "remove", "example", alice.fingerprint], { env: { TFVARS_PRIVATE_KEY_FILE: project.path("alice.key") } });
    expect(code).toBe(1);
    expect(stderr).toContain("would lock everybody out");
    expect(project.secretsFiles()).toEqual(["example.recipients.asc", "example.tfvars.gpg"]);
  });

  test("refuses a private key offered as a recipient", async () => {
    const alice = await keyPair("alice@example.com");
    fs.writeFileSync(project.path("alice.key"), alice.privateKey);
    const { code, stderr } = await secrets(project, ["recipients", "add", "example", "alice.key"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/: a private key; recipients are public keys/);
  });

  test("refuses a key gpg 2.2 could not decrypt with (RFC 9580 X25519)", async () => {
    const openpgp = await import("openpgp");
    const { publicKey } = await openpgp.generateKey({ type: "curve25519", userIDs: [{ email: "new@example.com" }], format: "armored" });
    fs.writeFileSync(project.path("new.asc"), publicKey);
    const { code, stderr } = await secrets(project, ["recipients", "add", "example", "new.asc"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/encryption algorithm x25519 is not readable by gpg 2\.2/);
  });

  test("an unknown member to remove is named", async () => {
    expect(await secrets(project, ["recipients", "remove", "example", "nobody@example.com"])).toMatchObject({
      code: 1,
      stderr: "secrets/example.recipients.asc: no recipient matches nobody@example.com\n",
    });
  });
});

describe("rotate-passphrase", () => {
  test("the new passphrase opens the file, the old one no longer does", async () => {
    await encrypt();
    expect((await secrets(project, ["rotate-passphrase", "example"], { env: { ...PASS, TFVARS_NEW_PASSPHRASE: "brand new" } })).code).toBe(0);
    expect((await decrypt()).stderr).toBe("secrets/example.tfvars.gpg: wrong passphrase\n");
    expect(await decrypt({ TFVARS_PASSPHRASE: "brand new" })).toMatchObject({ code: 0, stdout: TFVARS });
  });
});

test("an unknown command or a bad name exits 1 with the usage", async () => {
  expect((await secrets(project, ["shred", "example"])).stderr).toMatch(/^secrets: unknown command "shred"\nusage:/);
  expect(await secrets(project, ["decrypt", "../etc/passwd", "--stdout"])).toMatchObject({ code: 1 });
});
