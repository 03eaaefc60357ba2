import * as Y from 'yjs';
import {
  COUNTRIES,
  isRole,
  parseHelpLines,
  parseLevels,
  type Country,
  type HelpLine,
  type WireMembership,
} from '../access/index.ts';
import { ORIGIN, isOneOf, isPlanId, isTimestamp, MAX_SHORT_TEXT } from '../model/index.ts';
import { LocalDoc, type LocalDocState, type Platform } from './local.ts';
import { FALLBACK_COLOR, type MemberAccess } from './status.ts';

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
  /**
   * Where the plan is shared, once it is: the server URL, and this device's membership as the
   * server last told it (null in an entry from an older Varde that kept no role or levels).
   * The member secret is kept beside them but is not part of the read model (components never
   * see it): `readPlanSecret`.
   */
  readonly server?: string;
  readonly access?: MemberAccess | null;
  /** The help lines the plan's server's operator (a clinic) offers, as it last said; none when empty. */
  readonly helpLines?: readonly HelpLine[];
}

/** What the device keeps of its membership in a shared plan: the one registry membership type. */
export interface PlanMembership extends MemberAccess {
  readonly server: string;
  readonly memberSecret: string;
}

export interface Registry {
  readonly plans: readonly PlanEntry[];
  readonly currentPlanId: string | null;
  /** The user's chosen language, or null to follow the browser. */
  readonly locale: Locale | null;
  /** Where the person is, for the crisis card's help lines; null to follow the language. */
  readonly country: Country | null;
}

const plansOf = (doc: Y.Doc) => doc.getMap<unknown>('plans');
const settingsOf = (doc: Y.Doc) => doc.getMap<unknown>('settings');

/**
 * Reads the registry doc, skipping malformed entries; plans are sorted by name, then by creation time. The
 * current plan falls back to the first plan when none is set or it is gone; an unknown locale reads as null.
 */
export function readRegistry(doc: Y.Doc): Registry {
  const plans: PlanEntry[] = [];
  for (const [planId, value] of plansOf(doc).entries()) {
    if (!isPlanId(planId) || !(value instanceof Y.Map)) continue;
    const name = value.get('name');
    const createdAt = value.get('createdAt');
    plans.push({
      planId,
      name: typeof name === 'string' ? name.slice(0, MAX_SHORT_TEXT) : '',
      createdAt: isTimestamp(createdAt) ? createdAt : '',
      ...readMembership(value),
      ...readHelpLines(value),
    });
  }
  plans.sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt));
  const settings = settingsOf(doc);
  const current = settings.get('currentPlanId');
  const locale = settings.get('locale');
  const country = settings.get('country');
  return {
    plans,
    currentPlanId:
      isPlanId(current) && plans.some((p) => p.planId === current) ? current : (plans[0]?.planId ?? null),
    locale: isOneOf(LOCALES, locale) ? locale : null,
    country: isOneOf(COUNTRIES, country) ? country : null,
  };
}

/**
 * The membership of an entry; an entry from before sharing existed has none. The member's
 * name is stored under `memberName` (the entry's `name` is the plan's).
 */
function readMembership(entry: Y.Map<unknown>): Pick<PlanEntry, 'server' | 'access'> {
  const server = entry.get('server');
  const memberId = entry.get('memberId');
  if (typeof server !== 'string' || typeof memberId !== 'string') return {};
  const role = entry.get('role');
  const levels = parseLevels(entry.get('levels'));
  if (!isRole(role) || !levels) return { server, access: null };
  const name = entry.get('memberName');
  const color = entry.get('color');
  const isOwner = entry.get('isOwner');
  return {
    server,
    access: {
      memberId,
      role,
      levels,
      name: typeof name === 'string' ? name.slice(0, MAX_SHORT_TEXT) : '',
      color: typeof color === 'string' ? color.slice(0, 32) : FALLBACK_COLOR,
      // An entry written before the device kept what the server said: only an owner is a
      // participant. The next token answer writes the server's word (updatePlanAccess).
      isOwner: typeof isOwner === 'boolean' ? isOwner : role === 'participant',
    },
  };
}

/** The operator's help lines kept on an entry, when there are any and they still read as such. */
function readHelpLines(entry: Y.Map<unknown>): Pick<PlanEntry, 'helpLines'> {
  const lines = parseHelpLines(entry.get('helpLines'));
  return lines && lines.length > 0 ? { helpLines: lines } : {};
}

/**
 * Keeps the help lines the plan's server said its operator offers (every token answer says
 * it); writes only what changed, and an empty or missing list removes what was kept.
 */
export function updatePlanHelpLines(doc: Y.Doc, planId: string, lines: readonly HelpLine[]): void {
  const entry = plansOf(doc).get(planId);
  if (!(entry instanceof Y.Map)) return;
  const kept = entry.get('helpLines');
  if (JSON.stringify(kept ?? []) === JSON.stringify(lines)) return;
  doc.transact(() => {
    if (lines.length === 0) entry.delete('helpLines');
    else
      entry.set(
        'helpLines',
        lines.map((l) => ({ ...l })),
      );
  }, ORIGIN.local);
}

/** The member secret of a shared plan on this device, or null. Send it only to its server. */
export function readPlanSecret(doc: Y.Doc, planId: string): string | null {
  const entry = plansOf(doc).get(planId);
  const secret = entry instanceof Y.Map ? entry.get('memberSecret') : undefined;
  return typeof secret === 'string' && secret.length > 0 ? secret : null;
}

/** The one converter from the server's answer (register or redeem) to what the device keeps. */
export function membershipOf(server: string, m: WireMembership): PlanMembership {
  return {
    server,
    memberId: m.memberId,
    memberSecret: m.memberSecret,
    role: m.role,
    levels: m.levels,
    name: m.name,
    color: m.color,
    isOwner: m.isOwner,
  };
}

/**
 * Stores this device's membership of a plan, member secret included, in one transaction (after sharing or
 * joining). Creates the entry, named `name`, when the device does not hold the plan yet.
 */
export function setPlanMembership(doc: Y.Doc, planId: string, m: PlanMembership, name?: string): void {
  doc.transact(() => {
    let entry = plansOf(doc).get(planId);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      plansOf(doc).set(planId, entry);
      (entry as Y.Map<unknown>).set('name', (name ?? '').trim().slice(0, MAX_SHORT_TEXT));
      (entry as Y.Map<unknown>).set('createdAt', new Date().toISOString());
    }
    const map = entry as Y.Map<unknown>;
    map.set('server', m.server);
    map.set('memberId', m.memberId);
    map.set('memberSecret', m.memberSecret);
    map.set('role', m.role);
    map.set('levels', { goals: m.levels.goals, plan: m.levels.plan });
    map.set('memberName', m.name.slice(0, MAX_SHORT_TEXT));
    map.set('color', m.color);
    map.set('isOwner', m.isOwner);
  }, ORIGIN.local);
}

/** Keeps what the server last said about this device's access; writes only what changed. */
export function updatePlanAccess(doc: Y.Doc, planId: string, access: MemberAccess): void {
  const entry = plansOf(doc).get(planId);
  if (!(entry instanceof Y.Map)) return;
  const current = readMembership(entry).access;
  if (
    current &&
    current.levels.goals === access.levels.goals &&
    current.levels.plan === access.levels.plan &&
    current.role === access.role &&
    current.name === access.name &&
    // As stored: an older entry reads with a fallback colour and a guessed owner flag.
    entry.get('color') === access.color &&
    entry.get('isOwner') === access.isOwner
  )
    return;
  doc.transact(() => {
    entry.set('role', access.role);
    entry.set('levels', { goals: access.levels.goals, plan: access.levels.plan });
    entry.set('memberName', access.name.slice(0, MAX_SHORT_TEXT));
    entry.set('color', access.color);
    entry.set('isOwner', access.isOwner);
  }, ORIGIN.local);
}

/** Forgets the membership (the plan stays on this device, unshared). */
export function clearPlanMembership(doc: Y.Doc, planId: string): void {
  const entry = plansOf(doc).get(planId);
  if (!(entry instanceof Y.Map)) return;
  doc.transact(() => {
    for (const key of [
      'server',
      'memberId',
      'memberSecret',
      'role',
      'levels',
      'memberName',
      'color',
      'isOwner',
    ])
      entry.delete(key);
  }, ORIGIN.local);
}

/**
 * Adds an entry for a plan (replacing any entry with that id) and makes it the current plan, in one
 * transaction. The name is trimmed and bounded.
 */
export function addPlanEntry(doc: Y.Doc, entry: { planId: string; name: string }): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    plansOf(doc).set(entry.planId, map);
    map.set('name', entry.name.trim().slice(0, MAX_SHORT_TEXT));
    map.set('createdAt', new Date().toISOString());
    settingsOf(doc).set('currentPlanId', entry.planId);
  }, ORIGIN.local);
}

/** Changes a plan's display name on this device, trimmed and bounded; does nothing for an unknown plan. */
export function renamePlanEntry(doc: Y.Doc, planId: string, name: string): void {
  const entry = plansOf(doc).get(planId);
  if (entry instanceof Y.Map)
    doc.transact(() => entry.set('name', name.trim().slice(0, MAX_SHORT_TEXT)), ORIGIN.local);
}

/**
 * Forgets a plan on this device, membership and member secret included; when it was the current plan, the
 * current plan falls back as `readRegistry` says.
 */
export function removePlanEntry(doc: Y.Doc, planId: string): void {
  doc.transact(() => {
    plansOf(doc).delete(planId);
    if (settingsOf(doc).get('currentPlanId') === planId) settingsOf(doc).delete('currentPlanId');
  }, ORIGIN.local);
}

/** Makes `planId` the device's current plan; `readRegistry` ignores an id the registry does not hold. */
export function setCurrentPlan(doc: Y.Doc, planId: string): void {
  doc.transact(() => settingsOf(doc).set('currentPlanId', planId), ORIGIN.local);
}

/** Sets the user's chosen language; `null` follows the browser again. */
export function setLocale(doc: Y.Doc, locale: Locale | null): void {
  doc.transact(() => {
    if (locale === null) settingsOf(doc).delete('locale');
    else settingsOf(doc).set('locale', locale);
  }, ORIGIN.local);
}

/** Sets where the person is, for the crisis card's help lines; `null` follows the language again. */
export function setCountry(doc: Y.Doc, country: Country | null): void {
  doc.transact(() => {
    if (country === null) settingsOf(doc).delete('country');
    else settingsOf(doc).set('country', country);
  }, ORIGIN.local);
}

/** The registry doc, opened from this device and linked to the other open pages (`LocalDoc`). */
export class RegistrySession {
  private readonly local: LocalDoc;
  readonly doc: Y.Doc;
  /** Settles once the registry has loaded from this device, or could not be opened. */
  readonly ready: Promise<LocalDocState>;

  constructor(platform: Platform) {
    this.local = new LocalDoc(REGISTRY_DB, REGISTRY_DB, platform);
    this.doc = this.local.doc;
    this.ready = this.local.ready;
  }

  destroy(): Promise<void> {
    return this.local.destroy();
  }
}
