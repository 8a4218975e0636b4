import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuSpread, formatPaired, pairedRatios, summarize, type RunRecord } from "../bench/lib/report.js";

/** The fields the report reads; the rest of a RunRecord does not matter here. */
function run(tool: string, repeat: number, pagesPerS: number, cpuS: number, ok = true): RunRecord {
  return {
    tool, repeat, seq: 0, ok, problems: [], argv: [], exitCode: 0, wallS: 10_000 / pagesPerS, toolSeconds: null, pagesPerS,
    cpuS, userS: null, sysS: null, cpuMsPerPage: null, peakRssMB: 100, timeMaxRssMB: null, treePeakRssMB: 100, maxProcs: 1,
    load1AtStart: 0, siteCpuS: null, pages: { expected: 10_000, found: 10_000 } as RunRecord["pages"], items: null, summary: null,
  };
}

test("ratios against the ceiling are paired by repetition, and a machine that changed state is called out", () => {
  // The sixth session's 11:05 run, as recorded: quiet gleaner runs in the middle of its medians,
  // a disturbed ceiling run as the ceiling's median.
  const g = [2693, 1959, 1894, 2788, 2750];
  const gCpu = [6.03, 8.39, 8.63, 5.98, 6.1];
  const raw = [7855, 7287, 8145, 10394, 10585];
  const rawCpu = [1.64, 1.79, 1.69, 1.28, 1.26];
  const runs = [...g.map((p, i) => run("gleaner", i, p, gCpu[i]!)), ...raw.map((p, i) => run("raw", i, p, rawCpu[i]!))];

  const byMedians = summarize(runs, ["gleaner", "raw"]).find((s) => s.tool === "raw")!.gleanerRatio!;
  assert.equal(byMedians.toFixed(3), (2693 / 8145).toFixed(3), "33.1% by the medians");
  const [paired] = pairedRatios(runs, ["gleaner", "raw"]);
  assert.deepEqual(paired!.ratios.map((r) => +(r! * 100).toFixed(1)), [34.3, 26.9, 23.3, 26.8, 26.0]);
  assert.equal(+(paired!.median! * 100).toFixed(1), 26.8);

  const spread = cpuSpread(runs, ["gleaner", "raw"]);
  assert.equal(spread[0]!.spread!.toFixed(2), (8.63 / 5.98).toFixed(2));
  const text = formatPaired(pairedRatios(runs, ["gleaner", "raw"]), spread);
  assert.match(text, /gleaner ÷ raw by repetition: 34\.3%, 26\.9%, 23\.3%, 26\.8%, 26\.0% \(median 26\.8%\)/);
  assert.match(text, /varied across runs .*gleaner 1\.44×, raw 1\.42×/);

  // A steady machine: no warning; a failed run leaves a gap instead of a ratio.
  const steady = [run("gleaner", 0, 2700, 6.0), run("gleaner", 1, 2750, 6.1), run("raw", 0, 10_000, 1.3), run("raw", 1, 10_400, 1.28, false)];
  const p2 = pairedRatios(steady, ["gleaner", "raw"]);
  assert.deepEqual(p2[0]!.ratios, [0.27, null]);
  const t2 = formatPaired(p2, cpuSpread(steady, ["gleaner", "raw"]));
  assert.match(t2, /27\.0%, -/);
  assert.doesNotMatch(t2, /varied/);
  // Peers are compared by the table; only the ceilings get a by-repetition line.
  assert.equal(formatPaired(pairedRatios([run("gleaner", 0, 2700, 6), run("scrapy", 0, 85, 117)], ["gleaner", "scrapy"]), []), "");
});
