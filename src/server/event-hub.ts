/**
 * Live events over WebSocket. Clients authenticate (upgrade headers or a first `auth` message),
 * subscribe to topics (`jobs`, `job:<id>`) and receive job state and progress. A message is
 * serialized once per publish; a client whose send buffer passes the bound is dropped (1013),
 * so a slow reader never holds memory or the crawl back.
 */
import type { WebSocket } from "ws";
import type { PageError, Progress } from "../events/index.js";

/** Page errors sent per job and second, at most. */
const ERRORS_PER_SECOND = 10;
import type { JobState } from "../store/index.js";
import type { Principal } from "./auth/index.js";

export interface EventHubOptions {
  /** A client must authenticate within this time after connecting (default 5 000 ms). */
  authTimeoutMs: number;
  /** Ping interval; a client that did not answer the previous ping is terminated (default 30 000 ms). */
  heartbeatMs: number;
  /** Send-buffer bound per client (default 1 MiB). */
  maxBufferedBytes: number;
  /** After closing a slow client, terminate it if the close handshake has not finished (default 5 000 ms). */
  closeGraceMs: number;
  /** Authenticates a first-message key. */
  authenticateKey: (key: string) => Principal | null;
  /** May this principal see that job? */
  canSee: (p: Principal, jobId: number) => boolean;
}

interface Client {
  ws: WebSocket;
  principal: Principal | null;
  topics: Set<string>;
  alive: boolean;
}

interface Message {
  type: string;
  topic?: unknown;
  key?: unknown;
}

function parseMessage(text: string | null): Message | null {
  if (text === null) return null;
  try {
    const m = JSON.parse(text) as unknown;
    return m !== null && typeof m === "object" && typeof (m as Message).type === "string" ? (m as Message) : null;
  } catch {
    return null;
  }
}

const JOB_TOPIC = /^job:([1-9]\d{0,15})$/;
const MALFORMED = JSON.stringify({ type: "error", message: 'malformed message: send JSON like {"type":"subscribe","topic":"job:1"}' });

export class EventHub {
  private readonly clients = new Set<Client>();
  private readonly topics = new Map<string, Set<Client>>();
  private readonly errorWindows = new Map<number, { start: number; sent: number }>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly o: EventHubOptions) {
    this.heartbeat = setInterval(() => this.beat(), o.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** A new connection; `principal` when the upgrade request carried credentials. */
  accept(ws: WebSocket, principal: Principal | null): void {
    const c: Client = { ws, principal, topics: new Set(), alive: true };
    this.clients.add(c);
    let timer: NodeJS.Timeout | null = null;
    if (!principal) {
      timer = setTimeout(() => {
        if (!c.principal) ws.close(1008, "authentication required");
      }, this.o.authTimeoutMs);
    }
    ws.on("pong", () => (c.alive = true));
    ws.on("message", (data, isBinary) => this.onMessage(c, isBinary ? null : data.toString()));
    ws.on("close", () => {
      if (timer) clearTimeout(timer);
      this.drop(c);
    });
    if (principal) this.send(c, JSON.stringify({ type: "ready", user: principal.username }));
  }

  publishState(job: number, state: JobState, owner: number | null, error: string | null): void {
    this.publish(job, owner, JSON.stringify({ type: "job.state", job, state, ...(error ? { error } : {}) }));
  }

  publishProgress(p: Progress, owner: number | null): void {
    const msg = { type: "job.progress", job: p.job, pages: p.done, items: p.items, errors: p.errors, failed: p.failed, queued: p.queued + p.leased, rate: Math.round(p.rate * 100) / 100 };
    this.publish(p.job, owner, JSON.stringify(msg));
  }

  /**
   * A failed attempt at a page. At most ERRORS_PER_SECOND per job reach clients (a dying site
   * can fail thousands of pages a second); the progress messages carry the full counts.
   */
  publishError(e: PageError, owner: number | null): void {
    const now = Date.now();
    const w = this.errorWindows.get(e.job);
    if (!w || now - w.start >= 1000) this.errorWindows.set(e.job, { start: now, sent: 1 });
    else if (w.sent++ >= ERRORS_PER_SECOND) return;
    const msg = { type: "job.error", job: e.job, url: e.url, code: e.code, message: e.message, ...(e.status !== undefined ? { status: e.status } : {}), willRetry: e.willRetry };
    this.publish(e.job, owner, JSON.stringify(msg));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.topics.clear();
  }

  private publish(job: number, owner: number | null, text: string): void {
    const direct = this.topics.get(`job:${job}`);
    if (direct) for (const c of direct) this.send(c, text);
    const all = this.topics.get("jobs");
    if (all) {
      for (const c of all) {
        if (direct?.has(c)) continue; // one copy per client
        const p = c.principal!;
        if (p.role === "admin" || owner === p.userId) this.send(c, text);
      }
    }
  }

  private onMessage(c: Client, text: string | null): void {
    if (!this.clients.has(c)) return; // dropped (too slow): ignore what it still sends
    const msg = parseMessage(text);
    if (msg === null) return this.send(c, MALFORMED);
    if (msg.type === "auth") {
      if (c.principal) return this.error(c, "already authenticated");
      const p = typeof msg.key === "string" ? this.o.authenticateKey(msg.key) : null;
      if (!p) return void c.ws.close(1008, "invalid API key");
      c.principal = p;
      return this.send(c, JSON.stringify({ type: "ready", user: p.username }));
    }
    if (!c.principal) return void c.ws.close(1008, "authenticate first");
    if (msg.type !== "subscribe" && msg.type !== "unsubscribe") return this.error(c, `unknown message type ${JSON.stringify(msg.type).slice(0, 40)}; use subscribe or unsubscribe`);
    const topic = typeof msg.topic === "string" ? msg.topic : "";
    const m = JOB_TOPIC.exec(topic);
    if (topic !== "jobs" && !m) return this.error(c, 'unknown topic; use "jobs" or "job:<id>"');
    if (m && msg.type === "subscribe" && !this.o.canSee(c.principal, Number(m[1]))) return this.error(c, `no such job: ${m[1]}`);
    if (msg.type === "subscribe") {
      c.topics.add(topic);
      let set = this.topics.get(topic);
      if (!set) this.topics.set(topic, (set = new Set()));
      set.add(c);
    } else {
      c.topics.delete(topic);
      this.topics.get(topic)?.delete(c);
    }
    this.send(c, JSON.stringify({ type: msg.type === "subscribe" ? "subscribed" : "unsubscribed", topic }));
  }

  private error(c: Client, message: string): void {
    this.send(c, JSON.stringify({ type: "error", message }));
  }

  /** Sends unless the client is too far behind; then it is closed and forgotten. */
  private send(c: Client, text: string): void {
    const ws = c.ws;
    if (ws.readyState !== 1) return;
    if (ws.bufferedAmount > this.o.maxBufferedBytes) {
      this.drop(c);
      ws.close(1013, "too slow: events are not being read");
      setTimeout(() => ws.terminate(), this.o.closeGraceMs).unref();
      return;
    }
    ws.send(text);
  }

  private drop(c: Client): void {
    if (!this.clients.delete(c)) return;
    for (const t of c.topics) {
      const set = this.topics.get(t);
      set?.delete(c);
      if (set?.size === 0) this.topics.delete(t);
    }
  }

  private beat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.drop(c);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
