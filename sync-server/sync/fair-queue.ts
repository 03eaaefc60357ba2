/**
 * Takes turns between the clients that ask the server for costly work, so that no client
 * address can hold the event loop for long and `/healthz`, small frames and every other plan
 * are served in between.
 *
 * The frame fuzz showed the need: about 30 hostile sessions from one address, each within its
 * connection, member and rate budgets, sent updates of 3–5 MB (each about 0.4 s to check,
 * store and apply). Handled as they arrived, they queued more work than one core does, and
 * `/healthz` waited behind all of it for 7–18 s. Here each costly job is one turn of the event
 * loop at most (a slice of `sliceMs`, however many jobs fit): between two turns Node reads its
 * sockets, answers HTTP and handles the frames that are cheap. Jobs of one key (a client
 * address) run in order; the keys take turns round-robin, so one address with many jobs waits
 * for its own and every other address is next.
 *
 * A job is a function that does its work and may ask to run again (a connection with more
 * frames queued); it must not throw (each caller runs its own guard). Nothing here knows what
 * a job does.
 */

/**
 * How long one turn keeps starting jobs before the event loop gets its own turn: many small
 * jobs share a turn, and `/healthz` waits for at most the job in hand plus this.
 */
export const FAIR_SLICE_MS = 20;

/** A unit of costly work; returns true to be queued again at the back of its key's turn. */
export type FairJob = () => boolean;

/**
 * The queue (see above). `run` queues a job under a key; jobs start on a later turn of the
 * event loop, never inside `run`.
 */
export class FairQueue {
  /** Keys with jobs, in the order of their turns. */
  private readonly turns: string[] = [];
  private readonly jobs = new Map<string, FairJob[]>();
  private scheduled = false;
  private queued = 0;

  constructor(
    private readonly sliceMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly later: (f: () => void) => void = (f) => setImmediate(f),
  ) {}

  /** Jobs waiting (for metrics and tests). */
  get waiting(): number {
    return this.queued;
  }

  /** Queues `job` under `key`: it runs after the key's earlier jobs, in turn with other keys. */
  run(key: string, job: FairJob): void {
    let list = this.jobs.get(key);
    if (!list) {
      this.jobs.set(key, (list = []));
      this.turns.push(key);
    }
    list.push(job);
    this.queued++;
    this.schedule();
  }

  /** Queues `job` and resolves with what it returns once it has run (for async callers). */
  runOnce<T>(key: string, job: () => T): Promise<T> {
    return new Promise((resolve, reject) =>
      this.run(key, () => {
        try {
          resolve(job());
        } catch (error) {
          reject(error instanceof Error ? error : new Error('job failed'));
        }
        return false;
      }),
    );
  }

  private schedule(): void {
    if (this.scheduled || this.turns.length === 0) return;
    this.scheduled = true;
    this.later(() => this.turn());
  }

  /** One turn of the event loop: jobs round-robin by key until the slice is used. */
  private turn(): void {
    this.scheduled = false;
    const started = this.now();
    while (this.turns.length > 0) {
      const key = this.turns.shift()!;
      const list = this.jobs.get(key)!;
      const job = list.shift()!;
      this.queued--;
      let again = false;
      try {
        again = job();
      } catch {
        // A job guards itself; one that throws anyway is not run again.
      }
      if (again) {
        list.push(job);
        this.queued++;
      }
      if (list.length > 0) this.turns.push(key);
      else this.jobs.delete(key);
      if (this.now() - started >= this.sliceMs) break;
    }
    this.schedule();
  }
}
