import * as Y from 'yjs';
import { isOneOf, isPlanId, isTimestamp, MAX_SHORT_TEXT } from '../model/index.ts';
import { BroadcastLink } from './broadcast.ts';
import type { LocalPersistence, Platform } from './session.ts';

/**
 * The plans this device holds (a therapist follows many) and the device's settings. It is a
 * device-local Y.Doc, persisted and linked between pages like a plan doc, so a plan created
 * in the app tab appears in the popup's switcher at once. It is never synced to a server.
 */
export const REGISTRY_DB = 'varde:registry';

export const LOCALES = ['en', 'nb', 'sv'] as const;
export type Locale = (typeof LOCALES)[number];

export interface PlanEntry {
  readonly planId: string;
  /** The plan's display name on this device, e.g. the participant's first name. */
  readonly name: string;
  readonly createdAt: string;
  /** Where the plan is shared, once it is (issue 3): server URL, member id, access. */
  readonly server?: string;
  readonly memberId?: string;
}

export interface Registry {
  readonly plans: readonly PlanEntry[];
  readonly currentPlanId: string | null;
  /** The user's chosen language, or null to follow the browser. */
  readonly locale: Locale | null;
}

const plansOf = (doc: Y.Doc) => doc.getMap<unknown>('plans');
const settingsOf = (doc: Y.Doc) => doc.getMap<unknown>('settings');

export function readRegistry(doc: Y.Doc): Registry {
  const plans: PlanEntry[] = [];
  for (const [planId, value] of plansOf(doc).entries()) {
    if (!isPlanId(planId) || !(value instanceof Y.Map)) continue;
    const name = value.get('name');
    const createdAt = value.get('createdAt');
    const server = value.get('server');
    const memberId = value.get('memberId');
    plans.push({
      planId,
      name: typeof name === 'string' ? name.slice(0, MAX_SHORT_TEXT) : '',
      createdAt: isTimestamp(createdAt) ? createdAt : '',
      ...(typeof server === 'string' ? { server } : {}),
      ...(typeof memberId === 'string' ? { memberId } : {}),
    });
  }
  plans.sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt));
  const settings = settingsOf(doc);
  const current = settings.get('currentPlanId');
  const locale = settings.get('locale');
  return {
    plans,
    currentPlanId:
      isPlanId(current) && plans.some((p) => p.planId === current) ? current : (plans[0]?.planId ?? null),
    locale: isOneOf(LOCALES, locale) ? locale : null,
  };
}

export function addPlanEntry(doc: Y.Doc, entry: { planId: string; name: string }): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    plansOf(doc).set(entry.planId, map);
    map.set('name', entry.name.trim().slice(0, MAX_SHORT_TEXT));
    map.set('createdAt', new Date().toISOString());
    settingsOf(doc).set('currentPlanId', entry.planId);
  }, 'local');
}

export function renamePlanEntry(doc: Y.Doc, planId: string, name: string): void {
  const entry = plansOf(doc).get(planId);
  if (entry instanceof Y.Map)
    doc.transact(() => entry.set('name', name.trim().slice(0, MAX_SHORT_TEXT)), 'local');
}

export function removePlanEntry(doc: Y.Doc, planId: string): void {
  doc.transact(() => {
    plansOf(doc).delete(planId);
    if (settingsOf(doc).get('currentPlanId') === planId) settingsOf(doc).delete('currentPlanId');
  }, 'local');
}

export function setCurrentPlan(doc: Y.Doc, planId: string): void {
  doc.transact(() => settingsOf(doc).set('currentPlanId', planId), 'local');
}

export function setLocale(doc: Y.Doc, locale: Locale | null): void {
  doc.transact(() => {
    if (locale === null) settingsOf(doc).delete('locale');
    else settingsOf(doc).set('locale', locale);
  }, 'local');
}

/** The registry doc, opened from this device and linked to the other open pages. */
export class RegistrySession {
  readonly doc = new Y.Doc({ guid: REGISTRY_DB });
  readonly ready: Promise<unknown>;
  private readonly persistence: LocalPersistence;
  private readonly link: BroadcastLink | null;

  constructor(platform: Platform) {
    this.persistence = platform.persist(REGISTRY_DB, this.doc);
    const channel = platform.channel(REGISTRY_DB);
    this.link = channel ? new BroadcastLink(this.doc, channel) : null;
    this.ready = this.persistence.whenSynced;
  }

  async destroy(): Promise<void> {
    this.link?.destroy();
    await this.persistence.destroy();
    this.doc.destroy();
  }
}
