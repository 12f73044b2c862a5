/** tfvars are read by HashiCorp's HCL parser and written so that any value survives the round trip. */
import { parseTfvars, stringifyTfvars, toEnvValue } from "../../lib/secrets/tfvars";

describe("reading", () => {
  test("strings, numbers, booleans, lists, maps and heredocs", async () => {
    const text = [
      'password = "p@ss"',
      "port     = 587",
      "enabled  = true",
      'emails   = ["a@example.com", "b@example.com"]',
      'smtp     = { user = "alerts", host = "smtp.example.com" }',
      "pem = <<-EOT",
      "  -----BEGIN PUBLIC KEY-----",
      "  MIIB",
      "  EOT",
      "# a comment",
      "",
    ].join("\n");
    expect(await parseTfvars(text, "x.tfvars")).toEqual({
      password: "p@ss",
      port: 587,
      enabled: true,
      emails: ["a@example.com", "b@example.com"],
      smtp: { user: "alerts", host: "smtp.example.com" },
      pem: "-----BEGIN PUBLIC KEY-----\nMIIB\n",
    });
  });

  test("an escaped $${ is the literal ${", async () => {
    expect(await parseTfvars('a = "x$${y}z%%{w}"\n', "x.tfvars")).toEqual({ a: "x${y}z%{w}" });
  });
});

describe("malformed HCL is reported with line and column", () => {
  test.each([
    ["an unquoted value", 'a = "ok"\nb = not quoted\n', "x.tfvars:2:9: Missing newline after argument; An argument definition must end with a newline"],
    ["a missing value", "a = 1\nb =\n", "x.tfvars:2:4: Invalid expression; Expected the start of an expression, but found an invalid expression token"],
    ["a key set twice", 'a = "1"\na = "2"\n', 'x.tfvars:2:1: Attribute redefined; The argument "a" was already set at x.tfvars:1,1-2. Each argument may be set only once'],
  ])("%s", async (_name, text, line) => {
    await expect(parseTfvars(text, "x.tfvars")).rejects.toMatchObject({ problems: [line] });
  });

  test("an unterminated string gives every diagnostic, each with its position", async () => {
    await expect(parseTfvars('a = "ok"\nb = "open\n', "x.tfvars")).rejects.toMatchObject({
      problems: [expect.stringMatching(/^x\.tfvars:2:10: Invalid multi-line string/), expect.stringMatching(/^x\.tfvars:2:10: Unterminated template string/)],
    });
  });

  test("expressions are refused: tfvars hold literal values", async () => {
    await expect(parseTfvars('a = "${var.b}"\nc = ["${d}"]\n', "x.tfvars")).rejects.toMatchObject({
      problems: [
        "x.tfvars: a: an expression or template; tfvars take literal values only (write a literal ${ as $${)",
        "x.tfvars: c[0]: an expression or template; tfvars take literal values only (write a literal ${ as $${)",
      ],
    });
  });
});

describe("writing", () => {
  const nasty = {
    quotes: 'say "hi"',
    backslash: "C:\\path\\n",
    interpolation: "${not} %{this}",
    newlines: "line1\nline2\ttab",
    unicode: "é ✓ 🔑",
    number: 3.5,
    flag: false,
    list: ["a", "b\"c"],
    map: { "needs quotes": "x", plain_key: "${y}" },
  };

  test("every value survives stringify then the real parser", async () => {
    expect(await parseTfvars(stringifyTfvars(nasty), "x.tfvars")).toEqual(nasty);
  });

  test("every string is quoted, keys are sorted, a header becomes comments", () => {
    expect(stringifyTfvars({ b: "1", a: "x y" }, "generated\nby tests")).toBe('# generated\n# by tests\na = "x y"\nb = "1"\n');
  });

  test("refuses a key that is not a variable name", () => {
    expect(() => stringifyTfvars({ "bad key": "x" })).toThrow('"bad key" is not a valid variable name');
  });
});

test("TF_VAR_ values: strings raw, other types in HCL syntax Terraform parses", () => {
  expect(toEnvValue("${raw} \"as is\"")).toBe("${raw} \"as is\"");
  expect(toEnvValue(42)).toBe("42");
  expect(toEnvValue(["a", "b"])).toBe('["a", "b"]');
  expect(toEnvValue({ k: "v" })).toBe('{\n  k = "v"\n}');
});
