/**
 * Non-HTML files (`/files/report.pdf`, `/files/data.json`, `/files/logo.png`) and a few
 * linked paths that answer 404, all linked from the home page.
 */
import { bytesReply } from "../reply.js";
import type { FileEntry, PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

/** Linked from `/` but missing: each answers 404 with an HTML body. */
export const MISSING = ["/missing", "/old/index.html", "/files/missing.pdf"];

/** A 1x1 transparent PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A small but valid one-page PDF (offsets in the xref table are computed). */
export function makePdf(): Buffer {
  const text = "BT /F1 24 Tf 72 700 Td (Practice site report) Tj ET";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

export function filesSection(ctx: SectionContext): Section {
  const { model } = ctx;
  const json = JSON.stringify({
    generator: "gleaner practice site",
    seed: model.seed,
    products: model.products.slice(0, 5),
  }, null, 2) + "\n";
  const files = new Map<string, Reply>([
    ["/files/report.pdf", bytesReply(makePdf(), "application/pdf", false)],
    ["/files/data.json", bytesReply(Buffer.from(json), "application/json", true)],
    ["/files/logo.png", bytesReply(PNG, "image/png", false)],
  ]);
  const entries: FileEntry[] = [...files].map(([path, r]) => ({ path, contentType: r.contentType }));

  return {
    name: "files",
    homeLinks: [
      ...entries.map((f) => ({ href: f.path, label: `File ${f.path.slice(7)}` })),
      ...MISSING.map((p) => ({ href: p, label: `Missing page ${p}` })),
    ],
    handle(req: PracticeRequest): Reply | undefined {
      return req.path.startsWith("/files/") ? files.get(req.path) : undefined;
    },
    contribute(manifest: SiteManifest): void {
      manifest.files.push(...entries.map((f) => ({ ...f })));
      manifest.notFound.push(...MISSING);
    },
  };
}
