/** The manifest without a server: what a full crawl from `/` must find. */
import { buildModel } from "./model.js";
import { resolveModes } from "./modes.js";
import { ReplyCache } from "./reply.js";
import { createSections, Router } from "./router.js";
import type { ManifestOptions, SiteManifest } from "./types.js";

export function buildManifest(opts: ManifestOptions = {}): SiteManifest {
  // Sections only render on request, so the origin and cache here are never used.
  const ctx = { model: buildModel(opts), cache: new ReplyCache(0), origin: "http://127.0.0.1", modes: resolveModes(opts) };
  return new Router(createSections(ctx)).manifest();
}
