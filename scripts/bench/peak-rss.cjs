// Preloaded into every node process of a benchmarked command (through NODE_OPTIONS): on exit, appends the
// process's peak resident set size in KiB to $BENCH_RSS_FILE.
"use strict";
const fs = require("node:fs");
const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => fs.appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
