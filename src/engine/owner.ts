/** Identity of the process running a job, and whether a recorded owner is still alive. */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/** Same machine: alive if the pid exists. Another machine: assume alive (it may be). */
export function isOwnerAlive(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
