/**
 * The server charges a token for every sync step 1 whose answer is not a shared one
 * (Connection.syncStep1: `stateVectorBurst` 10 at `stateVectorsPerSecond` 2 a connection, twice
 * that per member across their connections). A session that asks more often is closed with
 * rateLimited at a frame it cannot know, and then nothing it sent counts as read. So sessions
 * keep a model of both buckets and send a step 1 only when the model has a token for it.
 *
 * The model has half the server's burst and half its rate. The server reads a frame later than
 * the fuzzer sends it; when it reads several late at once (a stalled event loop), their tokens
 * are taken closer together than they were sent. Half the budget stays within the server's as
 * long as no frame is read more than `burst / rate` seconds (5 s) after it was sent.
 */
export class Bucket {
  private tokens: number;
  private at = performance.now();
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }
  has(n: number): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    return this.tokens >= n;
  }
  take(): void {
    this.tokens -= 1;
  }
}

export interface StepOneLimits {
  stateVectorBurst: number;
  stateVectorsPerSecond: number;
}

/** The member's bucket as the server keeps it (Rooms.admitMember: twice a connection's), halved. */
export const memberBucket = (l: StepOneLimits) => new Bucket(l.stateVectorBurst, l.stateVectorsPerSecond);

/** A connection's bucket, halved. */
export const connectionBucket = (l: StepOneLimits) =>
  new Bucket(Math.max(1, Math.floor(l.stateVectorBurst / 2)), l.stateVectorsPerSecond / 2);

export class StepOneBudget {
  /** Step 1 frames sent with a token, and those replaced for want of one. */
  spent = 0;
  constructor(
    private readonly connection: Bucket,
    private readonly member: Bucket,
  ) {}

  /** Takes a token from both buckets if each keeps `keep` more after it. */
  take(keep: number): boolean {
    if (!this.connection.has(1 + keep) || !this.member.has(1 + keep)) return false;
    this.connection.take();
    this.member.take();
    this.spent++;
    return true;
  }

  /** Waits for a token (the barrier and the fetch must be sent). */
  async acquire(): Promise<void> {
    while (!this.take(0)) await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether the server may charge a token for this frame: a sync step 1 (type 0, subtype 0)
 * that is not the empty state vector, whose answer (the whole doc) is shared.
 */
export function spendsToken(data: Uint8Array | string): boolean {
  if (typeof data === 'string' || data.length < 3 || data[0] !== 0 || data[1] !== 0) return false;
  return !(data.length === 4 && data[2] === 1 && data[3] === 0);
}
