/**
 * Buffered writer over a caller-owned stream, with backpressure.
 *
 * Records are UTF-8 encoded straight into a preallocated chunk (cheaper than concatenating
 * a 64 KiB string and encoding it: no rope to flatten, one copy); every CHUNK_BYTES the chunk
 * is handed to `out.write`. When write() returns false we wait for 'drain' before the caller
 * pulls more rows: that wait is what keeps an export of millions of rows in constant memory.
 *
 * The stream is never ended here. Errors (EPIPE, ENOSPC, a destroyed stream) become a
 * GLEANER_ERR_EXPORT_WRITE rejection instead of an unhandled 'error' event.
 */
import type { Writable } from "node:stream";
import type { GleanerError } from "../shared/errors.js";
import { exportWriteError } from "./errors.js";

/** A chunk is written once it holds this many bytes. */
export const CHUNK_BYTES = 64 * 1024;
/** Chunk capacity: CHUNK_BYTES plus room for the record that crosses the threshold. */
const CAPACITY = 2 * CHUNK_BYTES;
/** Chunks accepted without backpressure (synchronous stdout to a file or TTY) before yielding one
 *  event-loop turn, so signals, timers and late 'error' events still get through. */
const YIELD_EVERY = 16;

type Waiter = { kind: "drain" | "idle"; resolve: () => void; reject: (err: unknown) => void };

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ChunkSink {
  /** UTF-8 bytes handed to the stream so far. */
  bytes = 0;
  private chunk = Buffer.allocUnsafe(CAPACITY);
  private off = 0;
  private written = 0; // write() calls
  private completed = 0; // write callbacks received
  private failure: GleanerError | null = null;
  private closed = false;
  private sinceYield = 0;
  private waiter: Waiter | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on("error", this.onError);
    out.on("close", this.onClose);
    out.on("drain", this.onDrain);
  }

  /**
   * Appends text. Returns a promise only when the caller must wait before producing more
   * (backpressure or a periodic yield), so the hot loop pays no microtask per row.
   * Throws GLEANER_ERR_EXPORT_WRITE once the stream has failed.
   */
  push(s: string): Promise<void> | undefined {
    // A UTF-16 unit is at most 3 UTF-8 bytes; measure exactly only when that bound does not fit.
    if (s.length * 3 > this.chunk.length - this.off) {
      const need = Buffer.byteLength(s, "utf8");
      if (need > this.chunk.length - this.off) {
        let ok = this.off === 0 || this.send(this.take());
        if (need > this.chunk.length) {
          // A record larger than a chunk (a huge scraped field): write it on its own.
          ok = this.send(Buffer.from(s, "utf8")) && ok;
          return this.after(ok);
        }
        this.off = this.chunk.write(s, 0, "utf8");
        return this.after(ok);
      }
    }
    this.off += this.chunk.write(s, this.off, "utf8");
    return this.off >= CHUNK_BYTES ? this.flush() : undefined;
  }

  /** Writes the pending chunk (if any); same return contract as push(). */
  flush(): Promise<void> | undefined {
    if (this.off === 0) return undefined;
    return this.after(this.send(this.take()));
  }

  /** The filled part of the chunk; the next records go to a fresh one (the stream may still hold this). */
  private take(): Buffer {
    const filled = this.chunk.subarray(0, this.off);
    this.chunk = Buffer.allocUnsafe(CAPACITY);
    this.off = 0;
    return filled;
  }

  private send(data: Buffer): boolean {
    this.check();
    this.written++;
    const ok = this.out.write(data, this.onWritten);
    this.bytes += data.length;
    this.check(); // a synchronous stream (stdout on a pipe) reports EPIPE during write()
    return ok;
  }

  private after(ok: boolean): Promise<void> | undefined {
    if (!ok) {
      this.sinceYield = 0;
      return this.wait("drain");
    }
    if (++this.sinceYield >= YIELD_EVERY) {
      this.sinceYield = 0;
      return nextTurn();
    }
    return undefined;
  }

  /** Writes what is left and resolves once every write's callback has fired. Returns total bytes. */
  async finish(): Promise<number> {
    const pending = this.flush();
    if (pending !== undefined) await pending;
    if (this.completed < this.written) await this.wait("idle");
    this.check();
    this.detach(true);
    return this.bytes;
  }

  /**
   * Stops listening after a failure. If the stream itself failed, the 'error' listener stays:
   * Node emits 'error' on a later tick, and with no listener left it would crash the process.
   */
  abandon(): void {
    this.detach(this.failure === null && !this.streamErrored());
  }

  private detach(all: boolean): void {
    this.out.removeListener("close", this.onClose);
    this.out.removeListener("drain", this.onDrain);
    if (all) this.out.removeListener("error", this.onError);
  }

  private streamErrored(): boolean {
    const w = this.out as Partial<Writable>;
    return w.errored != null;
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
    const w = this.out as Partial<Writable>;
    if (w.errored != null) throw this.fail(w.errored);
    if (this.closed || w.destroyed === true) throw this.fail(new Error("the output stream was closed"));
    if (w.writableEnded === true) throw this.fail(new Error("the output stream was already ended"));
  }

  private fail(cause: unknown): GleanerError {
    if (this.failure === null) this.failure = exportWriteError(cause, { bytes: this.bytes });
    return this.failure;
  }

  private wait(kind: Waiter["kind"]): Promise<void> {
    this.check();
    return new Promise<void>((resolve, reject) => {
      this.waiter = { kind, resolve, reject };
    });
  }

  private settle(kind: Waiter["kind"]): void {
    const w = this.waiter;
    if (w !== null && w.kind === kind) {
      this.waiter = null;
      w.resolve();
    }
  }

  private rejectWaiter(): void {
    const w = this.waiter;
    if (w !== null && this.failure !== null) {
      this.waiter = null;
      w.reject(this.failure);
    }
  }

  private readonly onWritten = (err?: Error | null): void => {
    this.completed++;
    if (err) return this.onError(err);
    if (this.completed === this.written) this.settle("idle");
  };

  private readonly onError = (err: unknown): void => {
    this.fail(err);
    this.rejectWaiter();
  };

  private readonly onClose = (): void => {
    this.closed = true;
    // Every write callback runs before 'close'; an idle wait that is still open lost data.
    if (this.waiter !== null) {
      this.fail(new Error("the output stream was closed before the export finished"));
      this.rejectWaiter();
    }
  };

  private readonly onDrain = (): void => this.settle("drain");
}
