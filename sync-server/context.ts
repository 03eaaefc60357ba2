/** What every part of the server shares: settings, storage, logging, metrics, token signing. */
import type { HelpLine } from '../core/access/index.ts';
import type { Addresses } from './addresses.ts';
import type { FairQueue } from './sync/fair-queue.ts';
import type { ServerConfig } from './config.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import type { TokenSigner } from './auth.ts';
import type { Rooms } from './sync/rooms.ts';
import type { StorageQuota } from './quota.ts';

/** Passed to every part of a running server; one per `startServer`. */
export interface Context {
  config: ServerConfig;
  storage: Storage;
  log: Logger;
  metrics: Metrics;
  signer: TokenSigner;
  rooms: Rooms;
  /** Sockets and bytes in flight per client address. */
  addresses: Addresses;
  quota: StorageQuota;
  /** Costly work (large frames, sync step 1 answers, doc loads), in turns per client address. */
  fair: FairQueue;
  /** The operator's help lines (`--help-lines-file`), sent with every connection token. */
  helpLines: readonly HelpLine[];
}
