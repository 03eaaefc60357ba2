/**
 * Replicas of a plan's docs over an in-memory network with manual delivery, in the style of
 * Yjs's testHelper.js and tldraw's syncFuzz: every update a replica makes is queued for each
 * peer, and the test decides when (and whether) it arrives. Randomness comes only from the
 * seeded PRNG, ids and order keys included, so a failing seed replays exactly.
 */
import { vi } from 'vitest';
import * as Y from 'yjs';
import type { Random } from '../../harness/random.ts';

/**
 * Makes `crypto.getRandomValues` (ids, order-key spread) draw from `random` until the returned
 * function is called, so a seed also fixes every id and key the model makes.
 */
export function seedCrypto(random: Random): () => void {
  const spy = vi
    .spyOn(globalThis.crypto, 'getRandomValues')
    .mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      if (array) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
      }
      return array;
    });
  return () => spy.mockRestore();
}

/** The goal board, the service plan, and the goal board's notes (threads work alike in both). */
export type DocKey = 'goals' | 'plan' | 'notes';
export const DOC_KEYS: readonly DocKey[] = ['goals', 'plan', 'notes'];

interface Message {
  readonly doc: DocKey;
  readonly update: Uint8Array;
}

/** Yjs resolves conflicts by client id, so ids are fixed per replica (and unique, always). */
let nextClientId = 1;

export class Replica {
  docs!: Record<DocKey, Y.Doc>;
  constructor(
    readonly index: number,
    private readonly send: (from: number, message: Message) => void,
    state?: Record<DocKey, Uint8Array>,
  ) {
    this.open(state);
  }

  private open(state?: Record<DocKey, Uint8Array>): void {
    const docs = {} as Record<DocKey, Y.Doc>;
    for (const key of DOC_KEYS) {
      const doc = new Y.Doc();
      doc.clientID = nextClientId++;
      if (state) Y.applyUpdate(doc, state[key], 'indexeddb');
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'remote' && origin !== 'indexeddb') this.send(this.index, { doc: key, update });
      });
      docs[key] = doc;
    }
    this.docs = docs;
  }

  /** Closes and reopens from its own stored state, as a reload of the page does. */
  restart(): void {
    const state = {} as Record<DocKey, Uint8Array>;
    for (const key of DOC_KEYS) {
      state[key] = Y.encodeStateAsUpdate(this.docs[key]);
      this.docs[key].destroy();
    }
    this.open(state);
  }

  receive(message: Message): void {
    Y.applyUpdate(this.docs[message.doc], message.update, 'remote');
  }
}

/** Every replica's updates, queued per (sender, receiver) pair until delivered or dropped. */
export class Network {
  readonly replicas: Replica[] = [];
  private readonly queues = new Map<string, Message[]>();

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      this.replicas.push(new Replica(i, (from, message) => this.broadcast(from, message)));
    }
  }

  private broadcast(from: number, message: Message): void {
    for (const to of this.replicas) {
      if (to.index === from) continue;
      const key = `${from}>${to.index}`;
      const queue = this.queues.get(key) ?? [];
      queue.push(message);
      this.queues.set(key, queue);
    }
  }

  private busyQueues(): [string, Message[]][] {
    return [...this.queues].filter(([, queue]) => queue.length > 0);
  }

  pending(): number {
    return this.busyQueues().reduce((sum, [, queue]) => sum + queue.length, 0);
  }

  /** Delivers the oldest message of a random channel (in order, as a WebSocket does)… */
  deliverOne(random: Random, { outOfOrder = false } = {}): void {
    const channel = random.pick(this.busyQueues());
    if (!channel) return;
    const [key, queue] = channel;
    // …or, with `outOfOrder`, any message of it: Yjs must hold it until what it needs arrives.
    const [message] = queue.splice(outOfOrder ? random.int(queue.length) : 0, 1);
    this.replicas[Number(key.split('>')[1])]!.receive(message!);
  }

  /** Loses one message in transit. */
  dropOne(random: Random): void {
    const channel = random.pick(this.busyQueues());
    if (channel) channel[1].splice(random.int(channel[1].length), 1);
  }

  /** A reconnect: each side sends what the other's state vector says it misses. */
  resync(a: Replica, b: Replica): void {
    for (const key of DOC_KEYS) {
      const toB = Y.encodeStateAsUpdate(a.docs[key], Y.encodeStateVector(b.docs[key]));
      const toA = Y.encodeStateAsUpdate(b.docs[key], Y.encodeStateVector(a.docs[key]));
      Y.applyUpdate(b.docs[key], toB, 'remote');
      Y.applyUpdate(a.docs[key], toA, 'remote');
    }
  }

  /** Delivers everything still queued, then repairs whatever was dropped by resyncing. */
  settle(random: Random): void {
    while (this.pending() > 0) this.deliverOne(random);
    const [hub, ...others] = this.replicas;
    for (const other of others) this.resync(hub!, other);
    for (const other of others) this.resync(hub!, other);
  }
}
