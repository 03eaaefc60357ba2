/**
 * Opening a shared plan's connection from its registry entry, the one way every page and
 * every test device does it. Not exported from core/sync/index.ts, like `remote.ts`, so pages
 * that never connect (the popup) do not load y-websocket.
 */
import type * as Y from 'yjs';
import { readPlanSecret, readRegistry, updatePlanAccess, updatePlanHelpLines } from './registry.ts';
import { PlanRemote, type PlanRemoteOptions, type RemotePlatform } from './remote.ts';
import type { PlanDocs } from './session.ts';

export interface ConnectPlanInput extends Partial<
  Pick<PlanRemoteOptions, 'maxBackoffMs' | 'refreshMarginMs'>
> {
  /** The device's registry doc: the plan's entry names the server, membership and secret. */
  readonly registry: Y.Doc;
  readonly planId: string;
  /** The plan's docs, already open on this device (`PlanSession`). */
  readonly docs: PlanDocs;
  readonly platform: RemotePlatform;
}

/**
 * Connects an open plan to the server its registry entry names, starting from the access the
 * device last knew and keeping in the registry whatever the server tells that differs.
 * Returns null when the plan is not shared on this device (no server, member or secret).
 */
export function connectPlan(input: ConnectPlanInput): PlanRemote | null {
  const { registry, planId } = input;
  const entry = readRegistry(registry).plans.find((p) => p.planId === planId);
  const secret = readPlanSecret(registry, planId);
  if (!entry?.server || !secret) return null;
  return new PlanRemote({
    planId,
    server: entry.server,
    secret,
    docs: input.docs,
    platform: input.platform,
    access: entry.access ?? null,
    onAccess: (a) => updatePlanAccess(registry, planId, a),
    onHelpLines: (lines) => updatePlanHelpLines(registry, planId, lines),
    ...(input.maxBackoffMs !== undefined ? { maxBackoffMs: input.maxBackoffMs } : {}),
    ...(input.refreshMarginMs !== undefined ? { refreshMarginMs: input.refreshMarginMs } : {}),
  });
}
