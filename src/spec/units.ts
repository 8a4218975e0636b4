/** Parsers for the human units users write in specs: durations, sizes, rates. */

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$/i;
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i;
const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hour)\s*$/i;

/** "15s", "500ms", "2m", "1h" or a number of seconds -> milliseconds; null if unreadable. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  const m = DURATION.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const factor = unit === "ms" ? 1 : unit === "s" || unit === "sec" ? 1000 : unit === "h" ? 3_600_000 : 60_000;
  return n * factor;
}

/** "10MB", "512KB", "1GiB" or a number of bytes -> bytes (KB = 1024 bytes); null if unreadable. */
export function parseSize(value: string | number): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : null;
  const m = SIZE.exec(value);
  if (!m) return null;
  const unit = (m[2] ?? "b").toLowerCase();
  const factor = unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 ** 2 : unit.startsWith("g") ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}

/** "2/s", "30/min", "100/h", "unlimited" or a number per second -> requests per second; null if unreadable. */
export function parseRate(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value : null;
  const v = value.trim().toLowerCase();
  if (v === "unlimited" || v === "none" || v === "off") return Infinity;
  const m = RATE.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  const unit = m[2]!;
  const per = unit.startsWith("s") ? 1 : unit.startsWith("m") ? 60 : 3600;
  return n / per;
}
