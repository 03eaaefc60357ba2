import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import {
  DOC_NAMES,
  MAX_SHORT_TEXT,
  addContact,
  addCustomSection,
  addGoal,
  addStep,
  addSubGoal,
  addThread,
  contactsRoot,
  goalsRoot,
  metaRoot,
  newId,
  newPlanId,
  readGoalBoard,
  readServicePlan,
  sectionsRoot,
  threadsRoot,
  type DocName,
} from '../../core/model/index.ts';
import { exportPlan, parsePlanFile } from '../../core/sync/index.ts';
import { test, expect, type Person } from './fixtures';

/**
 * Issue 4, "Hostile input": a plan file written by a hostile or broken program, built here in
 * Node by writing straight into the Y.Docs (past every command's validation), then imported
 * through the UI as a person would. Nothing may run, nothing may crash, long text is cut, and
 * the person is told how many items were hidden. Every attack sets `window.__pwned` (or opens
 * a dialog) if it ever executes.
 */

const GOOD_GOAL = 'Walk to the shop';
const SCRIPT_TITLE = '<script>window.__pwned = "goal title"</script>Script goal';
const IMG_TITLE = '<img src=x onerror="window.__pwned = \'goal title img\'">Image goal';
const LONG_TITLE = `Long title ${'x'.repeat(10 * 1024 * 1024)}`;
const CONTACT_IMG = '<img src=x onerror="window.__pwned = \'contact\'">Bo';
const CONTACT_SCRIPT = '<script>window.__pwned = "contact"</script>Eva';
const JS_PHONE = 'javascript:window.__pwned="phone"';
const COMMENT_SCRIPT = '<script>window.__pwned = "comment"</script>Hello from a comment';
const HUGE_COMMENT = `Huge comment ${'y'.repeat(5 * 1024 * 1024)}`;
const STEP_SVG = '<svg onload="window.__pwned = \'step\'">Step</svg>';
const PLAN_NAME = '<img src=x onerror="window.__pwned = \'plan name\'">Cleo';
const HUGE_BODY = `Huge body ${'w'.repeat(5 * 1024 * 1024)}`;
const SIGNS_TEXT = 'Sleeping badly <script>window.__pwned = "text"</script>';

/** The attacks a rich-text field can carry: elements no schema knows, handlers, a javascript: link. */
function hostileRichText(fragment: Y.XmlFragment, first: string): void {
  const paragraph = (text: string) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    return p;
  };
  const script = new Y.XmlElement('script');
  script.insert(0, [new Y.XmlText('window.__pwned = "script element"')]);
  const img = new Y.XmlElement('img');
  img.setAttribute('src', 'x');
  img.setAttribute('onerror', 'window.__pwned = "img element"');
  const withHandler = paragraph('A paragraph with an onerror attribute');
  withHandler.setAttribute('onerror', 'window.__pwned = "onerror attribute"');
  withHandler.setAttribute('onclick', 'window.__pwned = "onclick attribute"');
  const iframe = new Y.XmlElement('iframe');
  iframe.setAttribute('src', 'javascript:window.__pwned="iframe"');
  const linked = new Y.XmlElement('paragraph');
  fragment.insert(0, [paragraph(first), script, img, withHandler, iframe, linked]);
  const text = new Y.XmlText();
  linked.insert(0, [text]);
  text.insert(0, 'A link that must not run', {
    link: { href: 'javascript:window.__pwned="link"', target: '_blank' },
  });
}

/** A plan with every kind of hostile item, and what its readers will say about it. */
function hostilePlan({ hugeBody = false } = {}) {
  const docs = Object.fromEntries(DOC_NAMES.map((name) => [name, new Y.Doc()])) as Record<DocName, Y.Doc>;
  for (const doc of Object.values(docs)) metaRoot(doc).set('schemaVersion', 1);
  // A fresh plan's sections, then the attacks.
  const plan = docs.plan;
  const seedSections = [
    'wellness',
    'keepsMeWell',
    'triggers',
    'warningSigns',
    'whatIDo',
    'whatOthersDo',
    'takeOverSigns',
    'crisisWishes',
  ];
  const sections = sectionsRoot(plan);
  const sectionOf: Record<string, Y.Map<unknown>> = {};
  seedSections.forEach((kind, i) => {
    const section = new Y.Map<unknown>();
    sections.set(newId(), section);
    section.set('kind', kind);
    section.set('zone', ['wellness', 'keepsMeWell'].includes(kind) ? 'green' : i < 6 ? 'yellow' : 'red');
    section.set('title', '');
    section.set('order', `a${i}`);
    section.set('body', new Y.XmlFragment());
    sectionOf[kind] = section;
  });
  hostileRichText(sectionOf.warningSigns!.get('body') as Y.XmlFragment, SIGNS_TEXT);
  hostileRichText(sectionOf.crisisWishes!.get('body') as Y.XmlFragment, 'Call my sister first');
  if (hugeBody) hostileRichText(sectionOf.takeOverSigns!.get('body') as Y.XmlFragment, HUGE_BODY);
  // Wrong types: a body that is a string, a zone that does not exist, a section that is a number.
  const custom = sections.get(addCustomSection(plan, { title: 'Custom', zone: 'green' })) as Y.Map<unknown>;
  custom.set('title', '<b onmouseover="window.__pwned = \'section title\'">Custom section</b>');
  custom.set('body', 'not rich text');
  custom.set('zone', 'purple');
  sections.set(newId(), 42);

  const bo = contactsRoot(plan).get(addContact(plan, { name: 'Bo' })) as Y.Map<unknown>;
  bo.set('name', CONTACT_IMG);
  bo.set('phone', JS_PHONE);
  bo.set('whatTheyDo', '<a href="javascript:window.__pwned=\'what\'">click</a>');
  const eva = contactsRoot(plan).get(addContact(plan, { name: 'Eva' })) as Y.Map<unknown>;
  eva.set('name', CONTACT_SCRIPT);
  eva.set('phone', 12345);
  eva.set('role', { evil: true });

  // Goals: a good one (the board must work), hostile titles, a 10 MB title, wrong types.
  const goals = goalsRoot(docs.goals);
  const good = addGoal(docs.goals, { title: GOOD_GOAL });
  const sub = addSubGoal(docs.goals, good, { title: 'Short walks' });
  addStep(docs.goals, good, sub, { text: 'Buy good shoes' });
  const svgStep = addStep(docs.goals, good, sub, { text: 'Placeholder' });
  const steps = (
    ((goals.get(good) as Y.Map<unknown>).get('subgoals') as Y.Map<unknown>).get(sub) as Y.Map<unknown>
  ).get('steps') as Y.Map<unknown>;
  (steps.get(svgStep) as Y.Map<unknown>).set('text', STEP_SVG);
  const scriptGoal = goals.get(addGoal(docs.goals, { title: 'Placeholder' })) as Y.Map<unknown>;
  scriptGoal.set('title', SCRIPT_TITLE);
  hostileRichText(scriptGoal.get('why') as Y.XmlFragment, 'Why: <img src=x onerror="window.__pwned=1">');
  (goals.get(addGoal(docs.goals, { title: 'Placeholder' })) as Y.Map<unknown>).set('title', IMG_TITLE);
  (goals.get(addGoal(docs.goals, { title: 'Placeholder' })) as Y.Map<unknown>).set('title', LONG_TITLE);
  const typed = goals.get(addGoal(docs.goals, { title: 'Wrongly typed goal' })) as Y.Map<unknown>;
  typed.set('status', { evil: true });
  typed.set('subgoals', 'not a collection');
  typed.set('createdAt', 12);
  typed.set('why', 'not rich text');
  const numberTitle = new Y.Map<unknown>();
  goals.set(newId(), numberTitle);
  numberTitle.set('title', 42);
  goals.set(newId(), 'just a string');
  goals.set('<script>bad id</script>', new Y.Map());

  // Notes: a hostile comment and a huge one on the good goal, a thread with a bad target.
  const thread = addThread(docs['goals-notes'], {
    target: { kind: 'goal', id: good },
    body: 'Placeholder',
    by: '<img src=x onerror="window.__pwned = \'by\'">',
  });
  const comments = (threadsRoot(docs['goals-notes']).get(thread) as Y.Map<unknown>).get(
    'comments',
  ) as Y.Map<unknown>;
  const [firstComment] = [...comments.values()] as Y.Map<unknown>[];
  firstComment!.set('body', COMMENT_SCRIPT);
  const huge = new Y.Map<unknown>();
  comments.set(newId(), huge);
  huge.set('by', 'Mallory');
  huge.set('at', new Date().toISOString());
  huge.set('body', HUGE_COMMENT);
  huge.set('order', 'z');
  const badTarget = new Y.Map<unknown>();
  threadsRoot(docs['plan-notes']).set(newId(), badTarget);
  badTarget.set('target', { kind: 'virus', id: 'x' });

  const file = JSON.stringify(exportPlan(docs, newPlanId(), PLAN_NAME));
  return {
    file,
    boardProblems: readGoalBoard(docs.goals).problems.length,
    planProblems: readServicePlan(docs.plan).problems.length,
    fileProblems: parsePlanFile(file).problems.length,
  };
}

/** Records anything that ran, popped up or crashed in a page. */
function watch(page: Page) {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

/** Nothing ran, and nothing in the page could run: no script, handler or javascript: address. */
async function expectHarmless(page: Page, seen: ReturnType<typeof watch>) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  const dangerous = await page.evaluate(() => {
    const all = [...document.body.querySelectorAll('*')];
    return {
      scripts: document.body.querySelectorAll('script').length,
      embeds: document.body.querySelectorAll('img, iframe, object, embed, svg image').length,
      handlers: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
        .length,
      jsAddresses: all.filter((el) =>
        ['href', 'src', 'action', 'formaction'].some((name) =>
          /^\s*javascript:/i.test(el.getAttribute(name) ?? ''),
        ),
      ).length,
    };
  });
  expect(dangerous).toEqual({ scripts: 0, embeds: 0, handlers: 0, jsAddresses: 0 });
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
}

async function importFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  // On the welcome screen the button is behind "I have a plan saved as a file".
  const closed = page.locator('details:not([open]) > summary', { hasText: 'I have a plan saved as a file' });
  if ((await closed.count()) > 0) await closed.click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import plan' }).click(),
  ]);
  await chooser.setFiles(file);
}

const planOptions = (page: Page) =>
  page.getByRole('combobox', { name: 'Plan' }).locator('option').allTextContents();

async function welcome(person: Person): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await person.openPage('app.html');
  const seen = watch(page);
  await expect(page.getByRole('heading', { name: 'Welcome to Varde' })).toBeVisible();
  return { page, seen };
}

test('a hostile plan file is imported and shown harmlessly in the app and the popup', async ({
  openPerson,
}) => {
  test.setTimeout(180_000);
  const hostile = hostilePlan();
  expect(hostile.boardProblems).toBeGreaterThan(5);
  expect(hostile.planProblems).toBeGreaterThan(3);
  const dir = await mkdtemp(path.join(tmpdir(), 'varde-hostile-'));
  const filePath = path.join(dir, 'cleo.json');
  await writeFile(filePath, hostile.file);

  try {
    const ada = await openPerson('ada');
    const { page, seen } = await welcome(ada);
    await importFile(page, filePath);
    const question = page.getByRole('dialog', { name: 'Import this plan?' });
    await expect(question).toContainText(`${hostile.fileProblems} item(s) in this file could not be read.`);
    await question.getByRole('button', { name: 'Yes, import it' }).click();
    await expect.poll(() => planOptions(page)).toEqual([PLAN_NAME]);

    // The goal board works; hostile titles are plain text; the 10 MB title is cut.
    await page.getByRole('button', { name: 'Goal board' }).click();
    await expect(page.getByRole('heading', { name: GOOD_GOAL })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'Buy good shoes' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: STEP_SVG })).toBeVisible();
    await expect(page.getByRole('heading', { name: SCRIPT_TITLE })).toBeVisible();
    await expect(page.getByRole('heading', { name: IMG_TITLE })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Wrongly typed goal' })).toBeVisible();
    const long = page.getByRole('heading', { name: /^Long title x+$/ });
    await expect(long).toBeVisible();
    expect((await long.textContent())!.length).toBeLessThanOrEqual(MAX_SHORT_TEXT);
    await expect(
      page.getByText(`${hostile.boardProblems} item(s) could not be read and are not shown.`),
    ).toBeVisible();
    await expectHarmless(page, seen);

    // The comments: the script is text, the huge comment is cut.
    const goal = page.getByRole('article', { name: GOOD_GOAL });
    await goal
      .getByRole('button', { name: 'Comment', exact: true, description: /^Comments on “Walk to the shop”/ })
      .click();
    await expect(goal.getByText(COMMENT_SCRIPT)).toBeVisible();
    const hugeShown = goal.getByText(/^Huge comment y+$/);
    await expect(hugeShown).toBeVisible();
    expect((await hugeShown.textContent())!.length).toBeLessThanOrEqual(MAX_SHORT_TEXT);
    await expectHarmless(page, seen);

    // The service plan works; the hostile rich text shows as text, the contacts cannot call code.
    await page.getByRole('button', { name: 'Service plan' }).click();
    const signs = page.getByRole('textbox', { name: 'Early warning signs' });
    await expect(signs).toContainText(SIGNS_TEXT);
    await expect(signs).toContainText('A paragraph with an onerror attribute');
    await expect(signs).toContainText('A link that must not run');
    await expect(page.getByRole('heading', { name: CONTACT_IMG })).toBeVisible();
    await expect(page.getByRole('heading', { name: CONTACT_SCRIPT })).toBeVisible();
    await expect(
      page.getByText(`${hostile.planProblems} item(s) could not be read and are not shown.`),
    ).toBeVisible();
    for (const link of await page.getByRole('link').all()) {
      expect(await link.getAttribute('href')).not.toMatch(/^\s*javascript:/i);
    }
    // A click on the link inside the editor runs nothing either.
    await signs.getByText('A link that must not run').click();
    await expectHarmless(page, seen);

    // The popup's crisis card reads the same plan without the editor.
    const popup = await ada.openPage('popup.html');
    const popupSeen = watch(popup);
    await popup.reload();
    await expect(popup.getByRole('heading', { name: PLAN_NAME, level: 1 })).toBeVisible();
    await expect(popup.getByText('Call my sister first')).toBeVisible();
    await expect(popup.getByText(CONTACT_IMG)).toBeVisible();
    await expect(
      popup.getByText(
        `${hostile.planProblems + hostile.boardProblems} item(s) could not be read and are not shown.`,
      ),
    ).toBeVisible();
    await expectHarmless(popup, popupSeen);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a broken import file is refused with a clear message and changes nothing', async ({ openPerson }) => {
  test.setTimeout(120_000);
  const ada = await openPerson('ada');
  const { page, seen } = await welcome(ada);
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Ada');
  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill(GOOD_GOAL);
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByRole('heading', { name: GOOD_GOAL })).toBeVisible();

  const docs = Object.fromEntries(DOC_NAMES.map((name) => [name, new Y.Doc()])) as Record<DocName, Y.Doc>;
  addGoal(docs.goals, { title: 'Cook on Sundays' });
  const good = JSON.stringify(exportPlan(docs, newPlanId(), 'Cleo'));
  const dir = await mkdtemp(path.join(tmpdir(), 'varde-broken-'));
  const enormous = path.join(dir, 'enormous.json');
  // Valid JSON, shaped like a plan file, with one 60 MB string.
  await writeFile(enormous, `{"format":"varde-plan","version":1,"name":"${'z'.repeat(60 * 1024 * 1024)}"}`);
  const random = Buffer.alloc(64 * 1024);
  for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
  const cases: { file: string | { name: string; mimeType: string; buffer: Buffer }; says: RegExp }[] = [
    {
      file: {
        name: 'cut.json',
        mimeType: 'application/json',
        buffer: Buffer.from(good.slice(0, good.length / 2)),
      },
      says: /is not a Varde plan file/,
    },
    {
      file: { name: 'noise.json', mimeType: 'application/json', buffer: random },
      says: /is not a Varde plan file/,
    },
    { file: enormous, says: /too large to be a Varde plan/ },
  ];
  try {
    for (const broken of cases) {
      await importFile(page, broken.file);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText(broken.says);
      await expect(alert).toContainText('Nothing was changed.');
      await alert.getByRole('button', { name: 'OK' }).click();
      await expect(alert).toHaveCount(0);
    }
    expect(await planOptions(page)).toEqual(['Ada']);
    await expect(page.getByRole('heading', { name: GOOD_GOAL })).toHaveCount(1);
    await page.reload();
    await expect(page.getByRole('heading', { name: GOOD_GOAL })).toHaveCount(1);
    expect(await planOptions(page)).toEqual(['Ada']);
    await expectHarmless(page, seen);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function importHostile(person: Person, options: { hugeBody?: boolean } = {}): Promise<Page> {
  const dir = await mkdtemp(path.join(tmpdir(), 'varde-hostile-'));
  const filePath = path.join(dir, 'cleo.json');
  await writeFile(filePath, hostilePlan(options).file);
  try {
    const { page } = await welcome(person);
    await importFile(page, filePath);
    await page
      .getByRole('dialog', { name: 'Import this plan?' })
      .getByRole('button', { name: 'Yes, import it' })
      .click();
    await expect.poll(() => planOptions(page)).toEqual([PLAN_NAME]);
    return page;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('opening the service plan keeps rich-text elements the editor does not know', async ({ openPerson }) => {
  // @tiptap/y-tiptap DELETES from the Y.Doc any element its schema lacks ('script', 'img',
  // 'iframe') when it renders the field, so merely viewing a section changed the plan on every
  // replica. RichTextEditor now shows such a field as plain read-only text instead.
  test.setTimeout(120_000);
  const ada = await openPerson('ada');
  const page = await importHostile(ada);
  const popup = await ada.openPage('popup.html');
  const scriptText = popup.getByText('window.__pwned = "script element"');
  await expect(popup.getByText('Call my sister first')).toBeVisible();
  await expect(scriptText).toBeVisible();

  await page.getByRole('button', { name: 'Service plan' }).click();
  await expect(page.getByRole('textbox', { name: 'Treatment wishes in a crisis' })).toContainText(
    'Call my sister first',
  );
  await expect(page.getByText('Part of this text was written by another program').first()).toBeVisible();
  await popup.reload();
  await expect(popup.getByText('Call my sister first')).toBeVisible();
  await expect(scriptText).toBeVisible({ timeout: 3000 });
});

test('the crisis card shortens a huge rich-text paragraph and still opens quickly', async ({
  openPerson,
}) => {
  // richTextBlocks caps the length of each block as well as their number: a hostile 5 MB
  // paragraph once took the popup about 8 s to open.
  test.setTimeout(180_000);
  const ada = await openPerson('ada');
  await importHostile(ada, { hugeBody: true });
  const popup = await ada.openPage('popup.html');
  await expect(popup.getByText('Call my sister first')).toBeVisible({ timeout: 60_000 });
  const shown = await popup.locator('main').evaluate((main) => main.textContent?.length ?? 0);
  expect(shown).toBeLessThan(100_000);
});
