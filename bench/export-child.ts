/** Runs one `gleaner` CLI command in this process, then prints its wall time and peak RSS. */
import { main } from "../src/cli/main.js";

const t0 = performance.now();
const code = await main(process.argv.slice(2));
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ code, seconds, maxRssKB: process.resourceUsage().maxRSS }) + "\n");
process.exitCode = code;
