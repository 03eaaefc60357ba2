/**
 * Playwright fixtures that load the BUILT extension (`.output/chrome-mv3`, made by `wxt build`)
 * into Debian's Chromium, one fresh profile per simulated person.
 *
 * ```ts
 * import { test, expect } from './fixtures';
 *
 * test('a relative sees the participant's edit', async ({ openPerson }) => {
 *   const ada = await openPerson('ada');
 *   const page = await ada.openPage('app.html');
 *   …
 *   await relaunch(ada); // same profile: IndexedDB and storage survive
 * });
 * ```
 *
 * Language: en-US unless `test.use({ browserLocale: 'nb-NO' })` or
 * `openPerson('bo', { locale: 'sv-SE' })`. The root tsconfig has no `chrome` types; a spec that
 * calls it inside `evaluate` declares the little it uses (`declare const chrome: …`).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';

export { expect } from '@playwright/test';

/** Debian's package; Playwright's own browser download does not work on these machines. */
const CHROMIUM = '/usr/bin/chromium';

/** One simulated person: a browser profile with the extension installed. */
export interface Person {
  readonly name: string;
  /** The profile directory; it survives `relaunch` and is deleted at teardown. */
  readonly userDataDir: string;
  readonly locale: string;
  /** Replaced by `relaunch`: read it from the person, do not keep your own copy. */
  context: BrowserContext;
  /**
   * The extension's service worker in the current context (replaced by `relaunch`). Chromium
   * may stop an idle MV3 worker after about 30 s; drive long tests through pages.
   */
  serviceWorker: Worker;
  /** Read from the service worker's URL; stable across relaunches of the same build. */
  readonly extensionId: string;
  /** `chrome-extension://<id>/<path>`. */
  extensionUrl(pagePath: string): string;
  /** Opens an extension page (e.g. `app.html`, `popup.html#/plan`) in a new tab of this person's browser. */
  openPage(pagePath: string): Promise<Page>;
}

export interface PersonOptions {
  /** BCP 47 tag such as `nb-NO`; defaults to the `browserLocale` option. */
  locale?: string;
}

interface VardeOptions {
  /** The browser's UI and content locale for every person unless `openPerson` overrides it. */
  browserLocale: string;
  /** The unpacked extension to load. */
  extensionPath: string;
}

interface VardeFixtures {
  /** Starts a new person with a fresh profile. Names must be unique within a test. */
  openPerson(name: string, options?: PersonOptions): Promise<Person>;
  /** Closes the person's browser and starts it again on the SAME profile ("close and reopen the browser"). */
  relaunch(person: Person): Promise<Person>;
  /** `chrome-extension://<id>/<path>` for the extension id read by the first `openPerson`. */
  extensionUrl(pagePath: string): string;
}

/**
 * Flags: the extension pair loads our build and nothing else; the rest keep Chromium from
 * calling home, which on the closed network of CI means floods of retries and slow starts.
 * `--no-sandbox` because CI runs as root in a container.
 */
function chromiumArgs(extensionPath: string): string[] {
  return [
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

/**
 * Headless mode: `headless: true` works with Debian's Chromium 156 and Playwright 1.64, and
 * is what we use. Playwright passes plain `--headless`, which since Chromium 132 means the
 * "new" headless mode (the full browser without a window) that runs extensions and their
 * service workers; the old extension-less mode now lives only in the separate
 * `chrome-headless-shell` binary, which Playwright picks only for its own downloaded browser,
 * never for an `executablePath`. So neither `--headless=new` nor an X server is needed.
 *
 * Locale, two layers:
 * - `chrome.i18n` and the manifest's `__MSG_*__` strings follow `--lang`. Debian's `chromium`
 *   ships only the en-US UI pack (other languages are in `chromium-l10n`), and without the
 *   packs Chromium matches `_locales/` against the `--lang` value exactly, with no fallback
 *   from `nb-NO` to `nb`. So we pass the bare language (`--lang=nb`), which selects
 *   `_locales/nb` just as a Norwegian Chrome does (Chrome's UI locale for Norwegian is `nb`).
 *   `chrome.i18n.getUILanguage()` still reports en-US without the packs.
 * - The context `locale` sets `navigator.language(s)`, Accept-Language and `Intl` in pages and
 *   the service worker; the app's own `locales/` follow that.
 */
async function launch(userDataDir: string, extensionPath: string, locale: string): Promise<BrowserContext> {
  const language = locale.split(/[-_]/)[0];
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...chromiumArgs(extensionPath), `--lang=${language}`],
    locale,
  });
}

/** The extension's service worker: already running, or the next one to start. */
async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const isOurs = (worker: Worker) => worker.url().startsWith('chrome-extension://');
  const running = context.serviceWorkers().find(isOurs);
  if (running) return running;
  return context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 });
}

class LaunchedPerson implements Person {
  constructor(
    readonly name: string,
    readonly userDataDir: string,
    readonly locale: string,
    public context: BrowserContext,
    public serviceWorker: Worker,
  ) {}

  get extensionId(): string {
    return new URL(this.serviceWorker.url()).host;
  }

  extensionUrl(pagePath: string): string {
    return extensionUrl(this.extensionId, pagePath);
  }

  async openPage(pagePath: string): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(this.extensionUrl(pagePath));
    return page;
  }
}

function extensionUrl(extensionId: string, pagePath: string): string {
  return `chrome-extension://${extensionId}/${pagePath.replace(/^\//, '')}`;
}

/** What one test has opened; all of it is closed and deleted after the test. */
interface Opened {
  people: LaunchedPerson[];
  profileDirs: string[];
}

export const test = base.extend<VardeOptions & VardeFixtures & { opened: Opened }>({
  browserLocale: ['en-US', { option: true }],
  extensionPath: [path.resolve(process.env.VARDE_OUT_DIR ?? '.output', 'chrome-mv3'), { option: true }],

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  opened: async ({}, use) => {
    const opened: Opened = { people: [], profileDirs: [] };
    try {
      await use(opened);
    } finally {
      await Promise.allSettled(opened.people.map((person) => person.context.close()));
      await Promise.allSettled(opened.profileDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  },

  openPerson: async ({ opened, browserLocale, extensionPath }, use) => {
    await use(async (name, options = {}) => {
      if (opened.people.some((person) => person.name === name)) {
        throw new Error(`openPerson: ${name} is already open in this test`);
      }
      if (!existsSync(path.join(extensionPath, 'manifest.json'))) {
        throw new Error(`openPerson: no built extension in ${extensionPath}; run \`npx wxt build\` first`);
      }
      const locale = options.locale ?? browserLocale;
      const userDataDir = await mkdtemp(path.join(tmpdir(), `varde-e2e-${name}-`));
      opened.profileDirs.push(userDataDir);
      const context = await launch(userDataDir, extensionPath, locale);
      const serviceWorker = await extensionWorker(context).catch(async (error: unknown) => {
        await context.close();
        throw new Error(`openPerson: the extension did not start in ${name}'s browser`, { cause: error });
      });
      const person = new LaunchedPerson(name, userDataDir, locale, context, serviceWorker);
      opened.people.push(person);
      return person;
    });
  },

  relaunch: async ({ extensionPath }, use) => {
    await use(async (person) => {
      await person.context.close();
      person.context = await launch(person.userDataDir, extensionPath, person.locale);
      person.serviceWorker = await extensionWorker(person.context);
      return person;
    });
  },

  extensionUrl: async ({ opened }, use) => {
    // Every profile loads the same unpacked directory, so every person has the same id.
    await use((pagePath) => {
      const first = opened.people[0];
      if (!first) throw new Error('extensionUrl: open a person first');
      return extensionUrl(first.extensionId, pagePath);
    });
  },
});
