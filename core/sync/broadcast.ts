import * as Y from 'yjs';
import { ORIGIN } from '../model/index.ts';

/**
 * The part of `BroadcastChannel` the link needs. Browsers and Node 20 both provide the real
 * thing; core/ only sees this shape.
 */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

type LinkMessage = { type: 'sync1'; sv: Uint8Array; reply: boolean } | { type: 'update'; update: Uint8Array };

function isLinkMessage(data: unknown): data is LinkMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return (
    (m.type === 'sync1' && m.sv instanceof Uint8Array && typeof m.reply === 'boolean') ||
    (m.type === 'update' && m.update instanceof Uint8Array)
  );
}

/**
 * Keeps one doc in step with the same doc open in other pages of the extension (app tab,
 * side panel, popup), online or not. On open it exchanges state vectors so a page that
 * missed updates catches up; afterwards it forwards every update it did not itself apply.
 */
export class BroadcastLink {
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== ORIGIN.broadcast) this.channel.postMessage({ type: 'update', update });
  };
  private readonly onMessage = (event: { data: unknown }) => {
    const message = event.data;
    if (!isLinkMessage(message)) return;
    try {
      if (message.type === 'update') {
        Y.applyUpdate(this.doc, message.update, ORIGIN.broadcast);
        return;
      }
      const diff = Y.encodeStateAsUpdate(this.doc, message.sv);
      this.channel.postMessage({ type: 'update', update: diff });
      if (!message.reply) this.sendSync1(true);
    } catch {
      // A malformed message from another page must not break this one; it is dropped.
    }
  };

  constructor(
    private readonly doc: Y.Doc,
    private readonly channel: ChannelLike,
  ) {
    doc.on('update', this.onUpdate);
    channel.addEventListener('message', this.onMessage);
    this.sendSync1(false);
  }

  private sendSync1(reply: boolean): void {
    this.channel.postMessage({ type: 'sync1', sv: Y.encodeStateVector(this.doc), reply });
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.channel.removeEventListener('message', this.onMessage);
    this.channel.close();
  }
}
