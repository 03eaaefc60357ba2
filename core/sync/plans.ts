import type * as Y from 'yjs';
import { DOC_NAMES, migrate, newPlanId, seedServicePlan } from '../model/index.ts';
import { applyPlanFile, type ParsedPlanFile } from './exchange.ts';
import { SyncApi, type FetchLike } from './api.ts';
import { parseInvite } from './url.ts';
import { addPlanEntry, membershipOf, setCurrentPlan, setPlanMembership } from './registry.ts';
import type { Platform } from './local.ts';
import { PlanSession, type PlanDocs } from './session.ts';

/**
 * Makes a new plan on this device: a fresh plan id, every doc stamped with the schema
 * version, the standard service-plan sections, and an entry in the registry that becomes the
 * current plan. No server is involved. Only the creator stamps: members receive it by sync.
 */
export async function createPlan(platform: Platform, registry: Y.Doc, name: string): Promise<PlanSession> {
  const planId = newPlanId();
  const session = new PlanSession(planId, platform);
  const state = await session.ready;
  if (state.status === 'error') throw state.error;
  for (const doc of DOC_NAMES) migrate(session.docs[doc]);
  seedServicePlan(session.docs.plan);
  addPlanEntry(registry, { planId, name });
  return session;
}

/**
 * Imports a file as a plan of its own. With `asCopy`, or when the file's plan id is already
 * on this device and the person chose to keep both, it gets a new plan id.
 */
export async function importPlan(
  platform: Platform,
  registry: Y.Doc,
  file: ParsedPlanFile,
  options: { asCopy: boolean; name: string },
): Promise<PlanSession> {
  const planId = options.asCopy ? newPlanId() : file.planId;
  const session = new PlanSession(planId, platform);
  const state = await session.ready;
  if (state.status === 'error') throw state.error;
  applyPlanFile(session.docs, file);
  addPlanEntry(registry, { planId, name: options.name });
  return session;
}

/** The plan on this device was made by a newer Varde: merging into it could lose its content. */
export class PlanIsNewerError extends Error {
  readonly reason = 'planIsNewer' as const;
  constructor() {
    super('planIsNewer');
    this.name = 'PlanIsNewerError';
  }
}

/** A plan a page already has open, so an import merges into its docs and not a second copy. */
export interface OpenPlanDocs {
  readonly planId: string;
  readonly docs: PlanDocs;
  /** Some of its docs were written by a newer Varde (`SessionState.newerSchema`). */
  readonly readOnly: boolean;
}

/**
 * Merges an import file into the plan of the same id that is already on this device. Into
 * `open` when that is the file's plan (the page shows the result at once); otherwise the
 * plan's docs are opened for the merge, closed after, and the plan becomes the current one.
 * Yjs merging keeps what both sides wrote, so a merge loses nothing. A plan written by a
 * newer Varde is left untouched: throws `PlanIsNewerError`.
 */
export async function mergeImport(
  platform: Platform,
  registry: Y.Doc,
  file: ParsedPlanFile,
  open: OpenPlanDocs | null,
): Promise<void> {
  if (open && open.planId === file.planId) {
    if (open.readOnly) throw new PlanIsNewerError();
    applyPlanFile(open.docs, file);
    return;
  }
  const session = new PlanSession(file.planId, platform);
  try {
    const ready = await session.ready;
    if (ready.status === 'error') throw ready.error;
    if (ready.status === 'ready' && ready.newerSchema.length > 0) throw new PlanIsNewerError();
    applyPlanFile(session.docs, file);
  } finally {
    await session.destroy();
  }
  setCurrentPlan(registry, file.planId);
}

/** What joining needs: the invite, the server for a bare code, the member's name, the plan's. */
export interface JoinInput {
  /** An invite link (it names its server) or a bare code. */
  readonly invite: string;
  /** The server of a bare code. */
  readonly server?: string;
  readonly name: string;
  /** What to call the plan on this device; by default, after its owner (`planNameOf`). */
  readonly planName?: string;
  /** The joined plan's name from its owner's ("Kari's plan", in the person's language). */
  readonly planNameOf?: (ownerName: string) => string;
}

/**
 * Joins a shared plan with an invite (a link, or a bare code and a server address): redeems
 * it, opens the plan's docs on this device EMPTY (the owner's content, service-plan sections
 * included, arrives by sync: seeding here would duplicate them), records the membership in
 * the registry and makes the plan current. Throws ApiError / ClientError.
 */
export async function joinPlan(
  platform: Platform,
  fetch: FetchLike,
  registry: Y.Doc,
  input: JoinInput,
): Promise<PlanSession> {
  const { server, code } = parseInvite(input.invite, input.server);
  const api = new SyncApi(server, fetch);
  const m = await api.redeem(code, input.name.trim());
  const session = new PlanSession(m.planId, platform);
  const state = await session.ready;
  if (state.status === 'error') {
    await session.destroy();
    throw state.error;
  }
  // Named by the person, else after its owner, never after a host.
  const ofOwner = m.ownerName ? (input.planNameOf?.(m.ownerName) ?? m.ownerName) : '';
  const planName = input.planName?.trim() || ofOwner;
  setPlanMembership(registry, m.planId, membershipOf(api.server, m), planName);
  setCurrentPlan(registry, m.planId);
  return session;
}

/**
 * Registers a plan of this device on a server; the device becomes its owner. Existing local
 * content is sent by the sync connection that the registry entry now calls for.
 */
export async function sharePlan(
  fetch: FetchLike,
  registry: Y.Doc,
  planId: string,
  input: { server: string; ownerName: string; registrationCode?: string },
): Promise<void> {
  const api = new SyncApi(input.server, fetch);
  const m = await api.registerPlan(planId, input.ownerName.trim(), input.registrationCode?.trim());
  setPlanMembership(registry, planId, membershipOf(api.server, m));
}
