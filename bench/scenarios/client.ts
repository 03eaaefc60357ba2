/**
 * Scenario 7, the client: the built extension in Debian's Chromium. A plan of two years of
 * weekly use is made in Node with core/model commands, exported with core/sync's exportPlan and
 * imported through the app's own "Import plan" button. Then, in fresh tabs:
 * - app: navigation start → every goal card of the board rendered and the next frame painted
 *   (the main thread is free again: the board answers a click);
 * - popup (popup.html in a tab, the toolbar popup's page): navigation start → the crisis card's
 *   contacts rendered and painted.
 * Also the gzipped JavaScript each entrypoint loads before it runs, and whether the popup's
 * loads any editor code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { exportPlan } from '../../core/sync/exchange.ts';
import { twoYearPlan } from '../lib/docs.ts';
import { median, round } from '../lib/stats.ts';

export interface ClientSize {
  edits: number;
  opens: number;
}

export interface EntrySize {
  /** Gzipped bytes of the JS loaded up front (entry chunk and its static imports). */
  gzipBytes: number;
  /** Gzipped bytes of chunks it may import later. */
  lazyGzipBytes: number;
  files: string[];
}

export interface ClientResult {
  plan: { edits: number; goalsBytes: number; planBytes: number; fileBytes: number };
  /** Every open; the first is cold (the bundle compiled for the first time). */
  appRuns: OpenTiming[];
  /** The median of the warm opens. */
  app: OpenTiming;
  popupRuns: OpenTiming[];
  popup: OpenTiming;
  entries: Record<string, EntrySize>;
  popupEditorCode: string[];
}

const ROOT = new URL('../..', import.meta.url).pathname;
export const BUILD_DIR = join(ROOT, '.output-bench');
/** Strings only the editor (ProseMirror, Tiptap) puts in a bundle. */
const EDITOR_MARKERS = ['ProseMirror', 'prosemirror', 'tiptap', 'contenteditable'];

export function buildExtension(): void {
  execFileSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    env: { ...process.env, VARDE_OUT_DIR: BUILD_DIR },
    stdio: 'ignore',
    timeout: 300_000,
  });
}

/** JS chunks imported statically and dynamically, from the built files (Vite/rolldown output). */
function imports(dir: string, file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(join(dir, file), 'utf8');
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const resolve = (spec: string) => join(folder, spec).replace(/^\.\//, '');
  const stat = [...text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) =>
    resolve(m[1]!),
  );
  const dyn = [...text.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g)].map((m) => resolve(m[1]!));
  return { static: stat, dynamic: dyn };
}

function entrySize(dir: string, roots: string[]): EntrySize {
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const f = queue.pop()!;
    if (eager.has(f) || !existsSync(join(dir, f))) continue;
    eager.add(f);
    const found = imports(dir, f);
    queue.push(...found.static);
    for (const d of found.dynamic) lazy.add(d);
  }
  const lazyOnly = new Set<string>();
  const lazyQueue = [...lazy];
  while (lazyQueue.length) {
    const f = lazyQueue.pop()!;
    if (eager.has(f) || lazyOnly.has(f) || !existsSync(join(dir, f))) continue;
    lazyOnly.add(f);
    const found = imports(dir, f);
    lazyQueue.push(...found.static, ...found.dynamic);
  }
  const gz = (files: Set<string>) =>
    [...files].reduce((n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).byteLength, 0);
  return { gzipBytes: gz(eager), lazyGzipBytes: gz(lazyOnly), files: [...eager].sort() };
}

/** Every entrypoint: the HTML pages by their module scripts and preloads, and the worker. */
export function entrySizes(dir: string): Record<string, EntrySize> {
  const out: Record<string, EntrySize> = {};
  for (const html of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
    const text = readFileSync(join(dir, html), 'utf8');
    const roots = [
      ...text.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g),
    ].map((m) => m[1]!);
    out[html.replace(/\.html$/, '')] = entrySize(dir, roots);
  }
  if (existsSync(join(dir, 'background.js'))) out.background = entrySize(dir, ['background.js']);
  return out;
}

function editorCodeIn(dir: string, files: string[]): string[] {
  const found = new Set<string>();
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const marker of EDITOR_MARKERS) if (text.includes(marker)) found.add(`${marker} in ${f}`);
  }
  return [...found];
}

async function launch(profile: string, extension: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--lang=en',
    ],
  });
}

async function extensionId(context: BrowserContext): Promise<string> {
  const ours = (w: { url(): string }) => w.url().startsWith('chrome-extension://');
  const worker =
    context.serviceWorkers().find(ours) ??
    (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 20_000 }));
  return new URL(worker.url()).host;
}

export interface OpenTiming {
  /** Navigation start → module scripts run (DOMContentLoaded ended). */
  scriptsMs: number;
  /** → first contentful paint (usually a "loading" line). */
  firstPaintMs: number;
  /** → content rendered and the next frame painted. */
  readyMs: number;
}

/** Times one page load against navigation start (the page's own clock). */
async function timeTo(page: Page, url: string, ready: (page: Page) => Promise<unknown>): Promise<OpenTiming> {
  await page.goto(url, { waitUntil: 'commit' });
  await ready(page);
  const t = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) =>
        requestAnimationFrame(() =>
          setTimeout(() => {
            const nav = performance.getEntriesByType('navigation')[0] as
              PerformanceNavigationTiming | undefined;
            const fcp = performance.getEntriesByName('first-contentful-paint')[0];
            resolve([nav?.domContentLoadedEventEnd ?? NaN, fcp?.startTime ?? NaN, performance.now()]);
          }, 0),
        ),
      ),
  );
  return { scriptsMs: round(t[0]!, 1), firstPaintMs: round(t[1]!, 1), readyMs: round(t[2]!, 1) };
}

/** The run with the median ready time (the first, cold open excluded when there are others). */
function medianRun(runs: OpenTiming[]): OpenTiming {
  const warm = runs.length > 1 ? runs.slice(1) : runs;
  const m = median(warm.map((r) => r.readyMs));
  return warm.find((r) => r.readyMs === m)!;
}

export async function client(size: ClientSize): Promise<ClientResult> {
  const plan = twoYearPlan(7, size.edits);
  const file = exportPlan(plan.docs, plan.planId, 'Two years');
  const work = mkdtempSync(join(tmpdir(), 'varde-bench-client-'));
  const filePath = join(work, 'two-years.json');
  writeFileSync(filePath, JSON.stringify(file));
  const extension = join(BUILD_DIR, 'chrome-mv3');
  const entries = entrySizes(extension);
  const context = await launch(join(work, 'profile'), extension);
  try {
    const id = await extensionId(context);
    const url = (p: string) => `chrome-extension://${id}/${p}`;
    const setup = await context.newPage();
    await setup.goto(url('app.html'));
    // On the welcome screen, "Import plan" is behind "I have a plan saved as a file".
    await setup.getByText('I have a plan saved as a file').click();
    const [chooser] = await Promise.all([
      setup.waitForEvent('filechooser'),
      setup.getByRole('button', { name: 'Import plan' }).click(),
    ]);
    await chooser.setFiles(filePath);
    const lastGoal = plan.goalTitles[plan.goalTitles.length - 1]!;
    await setup.getByRole('heading', { name: lastGoal }).waitFor({ timeout: 60_000 });
    await setup.close();

    const app: OpenTiming[] = [];
    for (let i = 0; i < size.opens + 1; i++) {
      const page = await context.newPage();
      app.push(
        await timeTo(page, url('app.html'), (p) =>
          p.getByRole('heading', { name: lastGoal }).waitFor({ timeout: 60_000 }),
        ),
      );
      await page.close();
    }
    const popup: OpenTiming[] = [];
    for (let i = 0; i < size.opens + 1; i++) {
      const page = await context.newPage();
      popup.push(
        await timeTo(page, url('popup.html'), (p) =>
          p.locator('#crisis-contacts').waitFor({ timeout: 30_000 }),
        ),
      );
      await page.close();
    }
    return {
      plan: {
        edits: plan.edits,
        goalsBytes: Y.encodeStateAsUpdate(plan.docs.goals).byteLength,
        planBytes: Y.encodeStateAsUpdate(plan.docs.plan).byteLength,
        fileBytes: JSON.stringify(file).length,
      },
      appRuns: app,
      app: medianRun(app),
      popupRuns: popup,
      popup: medianRun(popup),
      entries,
      popupEditorCode: editorCodeIn(extension, entries.popup?.files ?? []),
    };
  } finally {
    await context.close();
    rmSync(work, { recursive: true, force: true });
  }
}
