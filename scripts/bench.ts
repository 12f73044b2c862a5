/**
 * npm run bench [-- --runs N]        (npm run bench -- gateway: the API gateway, scripts/bench-gateway.ts)
 * Measures, as whole processes, the median wall time of N runs (default 5, after one warm-up) of
 *   - the full synth: the `synth` script of package.json (every stack of every environment), and
 *   - the floor: `node -e "require('cdktf')"`, the least any CDKTF program costs,
 * and prints both, their ratio and the synth's peak memory (largest RSS of its node processes).
 * Targets (issue 2): synth within 4x of the floor, under 400 MB peak. Exit 1 when a target is missed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..");
const PRELOAD = path.join(__dirname, "bench", "peak-rss.cjs");
const TARGET_RATIO = 4;
const TARGET_PEAK_MB = 400;

interface Measure {
  readonly seconds: number;
  readonly peakMb: number;
}

/** Runs `command` through sh once; its wall time and the largest peak RSS among its node processes. */
function measure(command: string): Measure {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  fs.writeFileSync(rssFile, "");
  const env = { ...process.env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PRELOAD}`.trim() };
  const start = process.hrtime.bigint();
  const result = spawnSync("sh", ["-c", command], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`bench: \`${command}\` failed (exit ${result.status}):\n${result.stderr}`);
  const peakKb = Math.max(0, ...fs.readFileSync(rssFile, "utf8").trim().split("\n").filter(Boolean).map((l) => Number(l.split(" ")[1])));
  fs.rmSync(path.dirname(rssFile), { recursive: true });
  return { seconds, peakMb: peakKb / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function bench(label: string, command: string, runs: number): { seconds: number; peakMb: number } {
  measure(command); // warm-up: file system cache and the transpiler's cache
  const samples = Array.from({ length: runs }, () => measure(command));
  const result = { seconds: median(samples.map((s) => s.seconds)), peakMb: Math.max(...samples.map((s) => s.peakMb)) };
  const all = samples.map((s) => s.seconds.toFixed(2)).join(" ");
  console.log(`${label.padEnd(6)} median ${result.seconds.toFixed(3)} s  peak ${result.peakMb.toFixed(0)} MB  (runs: ${all})  $ ${command}`);
  return result;
}

function main(): number {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } }, strict: false });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("bench: --runs takes a whole number of at least 1");
  const synthCommand = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.synth as string;

  const floor = bench("floor", `node -e "require('cdktf')"`, runs);
  const synth = bench("synth", synthCommand, runs);
  const ratio = synth.seconds / floor.seconds;
  const ok = ratio <= TARGET_RATIO && synth.peakMb < TARGET_PEAK_MB;
  console.log(
    `ratio  ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x); synth peak ${synth.peakMb.toFixed(0)} MB (target < ${TARGET_PEAK_MB} MB): ${ok ? "within targets" : "TARGET MISSED"}`,
  );
  return ok ? 0 : 1;
}

if (process.argv[2] === "gateway") {
  // npm run bench -- gateway: scripts/bench-gateway.ts
  import("./bench-gateway").then(({ benchGateway }) => benchGateway(process.argv.slice(3))).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error((e as Error).message);
      process.exitCode = 1;
    },
  );
} else process.exitCode = main();
