/**
 * A response body as undici's dispatcher hands it over: chunks pushed by the request's
 * handler, held until a reader attaches, with pause/resume passed back to the connection.
 * Lighter than a Readable stream per response (the `request()` API builds one, and its stream
 * machinery was most of undici's share of a crawl's main thread).
 */

/** Where a body's chunks go: `data` per chunk, then exactly one of `end` or `error`. */
export interface BodySink {
  data(chunk: Buffer): void;
  end(): void;
  error(err: unknown): void;
}

/** What readBody needs of a body. */
export interface BodyStream {
  /** Attach the one reader (chunks that came before are given to it first). */
  read(sink: BodySink): void;
  pause(): void;
  resume(): void;
  /** Give up the body: the connection is dropped, the reader hears nothing more. */
  destroy(): void;
}

export class ResponseBody implements BodyStream {
  private sink: BodySink | null = null;
  private queued: Buffer[] = [];
  private state: "open" | "ended" | "failed" | "destroyed" = "open";
  private failure: unknown = null;
  private paused = false;

  constructor(
    private readonly resumeConnection: () => void,
    private readonly abortRequest: (reason: Error) => void,
  ) {}

  /** From the handler: false asks the connection to pause. */
  push(chunk: Buffer): boolean {
    if (this.state !== "open") return false;
    if (this.sink) this.sink.data(chunk);
    else this.queued.push(chunk);
    return !this.paused;
  }

  finish(): void {
    if (this.state !== "open") return;
    this.state = "ended";
    this.sink?.end();
  }

  fail(err: unknown): void {
    if (this.state !== "open") return;
    this.state = "failed";
    this.failure = err;
    this.sink?.error(err);
  }

  read(sink: BodySink): void {
    if (this.sink) throw new Error("a response body has one reader");
    this.sink = sink;
    const queued = this.queued;
    this.queued = [];
    for (const c of queued) {
      if (this.state === "destroyed") return;
      sink.data(c);
    }
    if (this.state === "ended") sink.end();
    else if (this.state === "failed") sink.error(this.failure);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.state === "open") this.resumeConnection();
  }

  destroy(): void {
    if (this.state !== "open") return;
    this.state = "destroyed";
    this.queued = [];
    this.abortRequest(new Error("response body discarded"));
  }

  /** Reads and drops up to `limit` bytes so the connection can be reused; past that it is dropped. */
  dump(limit: number): Promise<void> {
    return new Promise((resolve) => {
      let bytes = 0;
      this.read({
        data: (chunk) => {
          bytes += chunk.length;
          if (bytes > limit) {
            this.destroy();
            resolve();
          }
        },
        end: () => resolve(),
        error: () => resolve(),
      });
    });
  }
}
