/**
 * A set that remembers about the last `cap` keys: two generations, the older one dropped
 * when the newer fills up. Used to skip work the store would skip anyway (already-sent links),
 * so forgetting old keys costs a little work, never correctness, and memory stays bounded on
 * crawls of millions of pages.
 */
export class RecentSet {
  private cur = new Set<string>();
  private old = new Set<string>();

  constructor(private readonly cap: number) {}

  has(key: string): boolean {
    return this.cur.has(key) || this.old.has(key);
  }

  add(key: string): void {
    if (this.cur.size >= this.cap / 2) {
      this.old = this.cur;
      this.cur = new Set();
    }
    this.cur.add(key);
  }

  get size(): number {
    return this.cur.size + this.old.size;
  }
}

/**
 * A copy of `s` that shares no memory with a larger string. A value read from a page (an
 * href) is a slice of the page's HTML; kept as a long-lived key it would keep the whole page
 * alive. Concatenating and slicing makes V8 flatten into a fresh string of the value's length.
 */
export function ownCopy(s: string): string {
  return (" " + s).slice(1);
}
