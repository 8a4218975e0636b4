/**
 * SSRF policy for crawls submitted over the API: which addresses a crawl may not reach.
 * The fetcher enforces it at connect time on resolved addresses (HttpFetcherOptions.guard);
 * start URLs with IP-literal hosts are also refused at submission so the user hears it at once.
 */
import { BlockList, isIP } from "node:net";
import type { Spec } from "../spec/types.js";

/** [CIDR, rule name]; the first match names the refusal. */
const V4: [string, number, string][] = [
  ["169.254.169.254", 32, "cloud metadata"],
  ["0.0.0.0", 8, "\"this network\" (0.0.0.0/8)"],
  ["10.0.0.0", 8, "private (10.0.0.0/8)"],
  ["100.64.0.0", 10, "carrier-grade NAT (100.64.0.0/10)"],
  ["127.0.0.0", 8, "loopback (127.0.0.0/8)"],
  ["169.254.0.0", 16, "link-local (169.254.0.0/16)"],
  ["172.16.0.0", 12, "private (172.16.0.0/12)"],
  ["192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"],
  ["192.168.0.0", 16, "private (192.168.0.0/16)"],
  ["198.18.0.0", 15, "benchmarking (198.18.0.0/15)"],
  ["224.0.0.0", 4, "multicast (224.0.0.0/4)"],
  ["240.0.0.0", 4, "reserved (240.0.0.0/4)"],
];
const V6: [string, number, string][] = [
  ["fd00:ec2::254", 128, "cloud metadata"],
  ["::", 128, "unspecified (::)"],
  ["::1", 128, "loopback (::1)"],
  ["fc00::", 7, "unique local (fc00::/7)"],
  ["fe80::", 10, "link-local (fe80::/10)"],
  ["ff00::", 8, "multicast (ff00::/8)"],
];
const RULES: { list: BlockList; name: string }[] = [...V4.map((r) => [...r, "ipv4"] as const), ...V6.map((r) => [...r, "ipv6"] as const)].map(([net, prefix, name, type]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { list, name };
});
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"]);
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;
const EMBEDS_V4 = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i;

/** The rule an IP address breaks, or null when it is a public address. */
export function blockedAddressRule(address: string): string | null {
  let a = address.toLowerCase();
  const hex = MAPPED_HEX.exec(a);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    a = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  } else {
    const embedded = EMBEDS_V4.exec(a);
    if (embedded) a = embedded[1]!;
  }
  const type = isIP(a);
  if (type === 0) return null;
  const family = type === 4 ? "ipv4" : "ipv6";
  for (const r of RULES) if (r.list.check(a, family)) return r.name;
  return null;
}

export interface TargetPolicy {
  allowPrivateTargets: boolean;
  /** Host names (as in URLs, lower-case; IP literals without brackets) exempt from the guard. */
  allowHosts: ReadonlySet<string>;
}

function bare(host: string): string {
  return (host.startsWith("[") ? host.slice(1, -1) : host).toLowerCase();
}

/** The fetcher guard: (resolved address, URL host) -> rule or null. Undefined when nothing is guarded. */
export function fetchGuard(policy: TargetPolicy): ((address: string, host: string) => string | null) | undefined {
  if (policy.allowPrivateTargets) return undefined;
  return (address, host) => (policy.allowHosts.has(bare(host)) ? null : blockedAddressRule(address));
}

export interface TargetRefusal {
  path: string;
  message: string;
}

/** Checks a spec at submission: start URLs with literal or well-known internal hosts, and browser fetching. */
export function checkSpecTargets(spec: Spec, policy: TargetPolicy): TargetRefusal[] {
  if (policy.allowPrivateTargets) return [];
  const out: TargetRefusal[] = [];
  spec.start.forEach((u, i) => {
    const host = bare(new URL(u).hostname);
    if (policy.allowHosts.has(host)) return;
    const rule = isIP(host) ? blockedAddressRule(host) : host === "localhost" || host.endsWith(".localhost") ? "loopback (localhost)" : METADATA_HOSTS.has(host) ? "cloud metadata" : null;
    if (rule) out.push({ path: `start.${i}`, message: `${u} targets a ${rule} address; the server refuses those (start it with --allow-private-targets or --allow-host ${host})` });
  });
  // Chromium resolves and connects by itself, outside the fetcher's guard.
  const modes = [spec.fetch.mode, ...spec.fetch.rules.map((r) => r.mode)];
  if (modes.some((m) => m !== undefined && m !== "http")) {
    out.push({ path: "fetch.mode", message: "browser and auto fetching are not guarded against private addresses; use mode: http, or start the server with --allow-private-targets" });
  }
  return out;
}
