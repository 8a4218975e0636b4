/** What every section is built from. */
import type { SiteModel } from "../model.js";
import type { ModeSettings } from "../modes.js";
import type { ReplyCache } from "../reply.js";

export interface SectionContext {
  model: SiteModel;
  /** Static replies go through here (key: path plus query as the section normalizes it). */
  cache: ReplyCache;
  /** "http://127.0.0.1:PORT": for absolute links, robots.txt and the sitemap. */
  origin: string;
  /** Which opt-in modes are on, with their settings. */
  modes: ModeSettings;
}
