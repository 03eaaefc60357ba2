/**
 * A bare protocol client: a WebSocket that speaks just enough y-websocket (Varde, the reference
 * server) or Hocuspocus framing to sync and to send and receive updates, without holding a
 * Y.Doc. Used where the bench must load a server without the client's own CPU getting in the
 * way (100 clients each applying a 1 MB document would measure the bench, not the server).
 */
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { DocRef } from './target.ts';

const SYNC = 0;
const AUTH = 2;
/** Hocuspocus answers a client's step 1 with this type. */
const SYNC_REPLY = 4;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

export type Incoming = { kind: 'step2' | 'update'; update: Uint8Array };

export class WireClient {
  /** performance.now() when the first sync step 2 arrived. */
  syncedAt: number | null = null;
  bytesIn = 0;
  private onSynced: (() => void)[] = [];
  onUpdate: ((message: Incoming) => void) | null = null;

  private constructor(
    readonly ref: DocRef,
    readonly ws: WebSocket,
  ) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => this.receive(data));
  }

  /** Opens the socket (to `port`, default the server's) and resolves once it is open. */
  static open(ref: DocRef, port: number): Promise<WireClient> {
    const ws = new WebSocket(ref.url(port), ref.protocols, { perMessageDeflate: false });
    const client = new WireClient(ref, ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        if (ref.kind === 'hocus')
          client.sendRaw(
            client.frame(AUTH, (e) => {
              encoding.writeVarUint(e, 0); // token
              encoding.writeVarString(e, 'bench');
            }),
          );
        resolve(client);
      });
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed before open: ${code}`)));
    });
  }

  private frame(type: number, body: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    if (this.ref.kind === 'hocus') encoding.writeVarString(e, this.ref.room);
    encoding.writeVarUint(e, type);
    body(e);
    return encoding.toUint8Array(e);
  }

  sendRaw(data: Uint8Array): void {
    this.ws.send(data);
  }

  /** Sync step 1 with the given state vector (default: an empty doc, so the server sends all). */
  sendStep1(stateVector: Uint8Array = EMPTY_STATE_VECTOR): void {
    this.sendRaw(
      this.frame(SYNC, (e) => {
        encoding.writeVarUint(e, STEP1);
        encoding.writeVarUint8Array(e, stateVector);
      }),
    );
  }

  /** A Yjs update as a sync `update` message (what a provider sends per local change). */
  sendUpdate(update: Uint8Array): void {
    this.sendRaw(
      this.frame(SYNC, (e) => {
        encoding.writeVarUint(e, UPDATE);
        encoding.writeVarUint8Array(e, update);
      }),
    );
  }

  /** Resolves when the first sync step 2 has arrived. */
  synced(timeoutMs = 60_000): Promise<void> {
    if (this.syncedAt !== null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.ref.kind}: not synced in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.onSynced.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private receive(data: Buffer): void {
    this.bytesIn += data.byteLength;
    const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (this.ref.kind === 'hocus') decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type !== SYNC && !(this.ref.kind === 'hocus' && type === SYNC_REPLY)) return;
    const sub = decoding.readVarUint(d);
    if (sub !== STEP2 && sub !== UPDATE) return;
    const update = decoding.readVarUint8Array(d);
    if (sub === STEP2 && this.syncedAt === null) {
      this.syncedAt = performance.now();
      for (const f of this.onSynced.splice(0)) f();
    }
    this.onUpdate?.({ kind: sub === STEP2 ? 'step2' : 'update', update });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close();
    });
  }
}
