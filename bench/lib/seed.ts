/** Putting a document's state on a server and knowing when the server holds it. */
import * as Y from 'yjs';
import { waitFor } from './stats.ts';
import type { DocRef, Target } from './target.ts';
import { WireClient } from './wire.ts';

/** What a fresh client receives for the doc: the server's whole state (its sync step 2). */
export async function fetchState(ref: DocRef, port: number, timeoutMs = 60_000): Promise<Uint8Array> {
  const client = await WireClient.open(ref, port);
  let state: Uint8Array = new Uint8Array(0);
  client.onUpdate = (m) => {
    if (m.kind === 'step2') state = m.update;
  };
  try {
    client.sendStep1();
    await client.synced(timeoutMs);
  } finally {
    await client.close();
  }
  return state;
}

/**
 * Whether the server's state covers `expected`. A connection that gets no answer in 5 s counts
 * as "not yet" and the caller asks again (Hocuspocus now and then leaves a connection opened
 * during heavy writing unanswered).
 */
export async function holds(target: Target, ref: DocRef, expected: Map<number, number>): Promise<boolean> {
  try {
    return covers(await fetchState(ref, target.port, 5000), expected);
  } catch {
    return false;
  }
}

/** Whether `state` covers every client clock of `expected` (a state vector as a map). */
export function covers(state: Uint8Array, expected: Map<number, number>): boolean {
  if (state.byteLength === 0) return expected.size === 0;
  const have = Y.parseUpdateMeta(state).to;
  for (const [client, clock] of expected) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/** Waits until the server's state holds everything in `update` (Varde: stored and applied). */
export async function waitUntilHeld(
  target: Target,
  ref: DocRef,
  update: Uint8Array,
  timeout = 60_000,
): Promise<void> {
  const expected = Y.parseUpdateMeta(update).to;
  await waitFor(() => holds(target, ref, expected), `${target.kind} to hold the doc`, timeout, 200);
}

/**
 * Sends `update` as one sync message over a connection that stays open (returned), so the doc
 * stays loaded, and waits until the server holds it.
 */
export async function seedDoc(target: Target, ref: DocRef, update: Uint8Array): Promise<WireClient> {
  const client = await WireClient.open(ref, target.port);
  client.sendStep1();
  await client.synced();
  client.sendUpdate(update);
  await waitUntilHeld(target, ref, update);
  return client;
}
