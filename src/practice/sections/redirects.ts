/**
 * Redirects: a chain `/redirect/start` -301-> `/redirect/middle` -302-> `/redirect/end`
 * (a page), and a loop `/redirect/loop-a` <-> `/redirect/loop-b`.
 */
import { shell } from "../html.js";
import { htmlReply, redirectReply } from "../reply.js";
import type { PracticeRequest, RedirectEntry, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

const CHAIN: RedirectEntry[] = [
  { from: "/redirect/start", to: "/redirect/middle", status: 301 },
  { from: "/redirect/middle", to: "/redirect/end", status: 302 },
];
const LOOP: RedirectEntry[] = [
  { from: "/redirect/loop-a", to: "/redirect/loop-b", status: 302 },
  { from: "/redirect/loop-b", to: "/redirect/loop-a", status: 302 },
];

export function redirectsSection(_ctx: SectionContext): Section {
  const replies = new Map<string, Reply>();
  for (const r of [...CHAIN, ...LOOP]) replies.set(r.from, redirectReply(r.status as 301 | 302, r.to));
  replies.set("/redirect/end", htmlReply(shell({
    title: "End of the redirect chain",
    body: `<div class="header-box"><h1>End of the redirect chain</h1></div>
<p>You arrived here from <code>/redirect/start</code> through a 301 and a 302.</p>`,
  })));

  return {
    name: "redirects",
    homeLinks: [
      { href: CHAIN[0]!.from, label: "Redirect chain" },
      { href: LOOP[0]!.from, label: "Redirect loop" },
    ],
    handle(req: PracticeRequest): Reply | undefined {
      return req.path.startsWith("/redirect/") ? replies.get(req.path) : undefined;
    },
    contribute(manifest: SiteManifest): void {
      manifest.pages.push("/redirect/end");
      manifest.redirects.push(...CHAIN.map((r) => ({ ...r })));
      manifest.redirectLoops.push(...LOOP.map((r) => r.from));
    },
  };
}
