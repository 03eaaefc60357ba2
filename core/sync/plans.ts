import type * as Y from 'yjs';
import { newPlanId, seedServicePlan } from '../model/index.ts';
import { applyPlanFile, type ParsedPlanFile } from './exchange.ts';
import { addPlanEntry } from './registry.ts';
import { PlanSession, type Platform } from './session.ts';

/**
 * Makes a new plan on this device: a fresh plan id, the standard service-plan sections, and
 * an entry in the registry that becomes the current plan. No server is involved.
 */
export async function createPlan(platform: Platform, registry: Y.Doc, name: string): Promise<PlanSession> {
  const planId = newPlanId();
  const session = new PlanSession(planId, platform);
  const state = await session.ready;
  if (state.status === 'error') throw state.error;
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
