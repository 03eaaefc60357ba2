/**
 * The operator's bound on what the server stores (`--max-stored-bytes`, 0 for none). The
 * database's size is read every few seconds, off the write path; while it is at or above the
 * bound, new plans are refused (`storageFull`, 507) and writes that would add to a doc are
 * refused with permission-denied `storageFull` (the change stays on the device). Reading and
 * deleting go on, so people can still reach their plans and make room.
 */
import type { Logger } from './log.ts';
import { errorName } from './log.ts';
import type { Storage } from './storage/types.ts';

/** How often the stored size is read: writes between two reads are bounded by the rate limits. */
const REFRESH_MS = 5000;

/** Whether the store has reached `--max-stored-bytes`, from a reading refreshed off the write path. */
export class StorageQuota {
  private bytes = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly maxStoredBytes: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.maxStoredBytes <= 0) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** Bytes stored at the last reading. */
  get storedBytes(): number {
    return this.bytes;
  }

  full(): boolean {
    return this.maxStoredBytes > 0 && this.bytes >= this.maxStoredBytes;
  }

  async refresh(): Promise<void> {
    try {
      this.bytes = await this.storage.meta.storedBytes();
    } catch (error) {
      this.log.warn('quota.readFailed', { error: errorName(error) });
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
