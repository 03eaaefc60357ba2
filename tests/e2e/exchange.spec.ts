import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import {
  DOC_NAMES,
  addGoal as addGoalTo,
  goalsRoot,
  newPlanId,
  seedServicePlan,
} from '../../core/model/index.ts';
import { exportPlan as exportDocs } from '../../core/sync/index.ts';
import { test, expect, type Person } from './fixtures';

async function newPlan(person: Person, name: string): Promise<Page> {
  const page = await person.openPage('app.html');
  await page.getByLabel('Name of the plan').fill(name);
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('heading', { name: 'Goal board', level: 1 })).toBeVisible();
  return page;
}

async function addGoal(page: Page, goal: string, subGoal: string, steps: string[]) {
  await page.getByRole('button', { name: 'Goal board' }).click();
  await page.getByLabel('Goal', { exact: true }).fill(goal);
  await page.getByRole('button', { name: 'Add goal' }).click();
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: goal }) });
  await card.getByLabel('Sub-goal', { exact: true }).fill(subGoal);
  await card.getByRole('button', { name: 'Add sub-goal' }).click();
  for (const step of steps) {
    await card.getByLabel('Step', { exact: true }).fill(step);
    await card.getByRole('button', { name: 'Add step' }).click();
    await expect(page.getByRole('checkbox', { name: step })).toBeVisible();
  }
}

/** Ada's plan: a goal with a sub-goal and two steps (one ticked), a section text, a contact. */
async function adasPlan(person: Person): Promise<Page> {
  const page = await newPlan(person, 'Ada');
  await addGoal(page, 'Walk every day', 'Short walks', ['Walk to the shop', 'Buy good shoes']);
  await page.getByRole('checkbox', { name: 'Buy good shoes' }).check();
  await page.getByRole('button', { name: 'Service plan' }).click();
  await page.getByRole('textbox', { name: 'Early warning signs' }).click();
  await page.keyboard.type('Sleeping badly');
  await expect(page.getByRole('textbox', { name: 'Early warning signs' })).toHaveText('Sleeping badly');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Bo Berg');
  await page.getByLabel('Phone', { exact: true }).fill('+47 22 33 44 55');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('link', { name: /Bo Berg/ })).toBeVisible();
  return page;
}

/** Clicks "Export plan" and returns the downloaded file's name and text. */
async function exportPlan(page: Page): Promise<{ name: string; path: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export plan' }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), path, text: await readFile(path, 'utf8') };
}

/** Chooses a file through the "Import plan" button, as a person does. */
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

test('a plan exported to a file comes back the same when imported into a fresh profile', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await adasPlan(ada);
  const file = await exportPlan(page);
  const today = new Date();
  const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
  expect(file.name).toBe(`varde-ada-${day}.json`);
  const json = JSON.parse(file.text) as { format: string; version: number; name: string };
  expect(json).toMatchObject({ format: 'varde-plan', version: 1, name: 'Ada' });
  await expect(page.getByRole('status').filter({ hasText: file.name })).toBeVisible();

  // Someone else's browser: a fresh profile, straight from the welcome screen.
  const bo = await openPerson('bo');
  const other = await bo.openPage('app.html');
  await expect(other.getByRole('heading', { name: 'Welcome to Varde' })).toBeVisible();
  await importFile(other, file.path);
  await expect.poll(() => planOptions(other)).toEqual(['Ada']);
  await expect(other.getByRole('combobox', { name: 'Plan' }).locator('option:checked')).toHaveText('Ada');

  await other.getByRole('button', { name: 'Goal board' }).click();
  await expect(other.getByRole('heading', { name: 'Walk every day' })).toBeVisible();
  await expect(other.getByRole('checkbox', { name: 'Walk to the shop' })).not.toBeChecked();
  await expect(other.getByRole('checkbox', { name: 'Buy good shoes' })).toBeChecked();
  await other.getByRole('button', { name: 'Service plan' }).click();
  expect(await other.getByRole('textbox', { name: 'Early warning signs' }).textContent()).toBe(
    'Sleeping badly',
  );
  await expect(other.getByRole('link', { name: /Bo Berg/ })).toHaveAttribute('href', 'tel:+4722334455');
});

test('a broken file is explained in plain words and changes nothing', async ({ openPerson }) => {
  const ada = await openPerson('ada');
  const page = await adasPlan(ada);
  const good = JSON.parse((await exportPlan(page)).text) as { docs: Record<string, string> };
  const cases: { name: string; content: string; explanation: RegExp }[] = [
    { name: 'notes.json', content: 'my plan, written by hand', explanation: /is not a Varde plan file/ },
    { name: 'other.json', content: JSON.stringify({ hello: 'world' }), explanation: /was not made by Varde/ },
    {
      name: 'future.json',
      content: JSON.stringify({ ...good, version: 99 }),
      explanation: /made by a newer version of Varde/,
    },
    {
      // Part of the file cut short, as by an interrupted copy.
      name: 'damaged.json',
      content: JSON.stringify({ ...good, docs: { ...good.docs, plan: good.docs.plan!.slice(0, 40) } }),
      explanation: /Part of this plan file is damaged/,
    },
  ];
  for (const broken of cases) {
    await importFile(page, {
      name: broken.name,
      mimeType: 'application/json',
      buffer: Buffer.from(broken.content),
    });
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(broken.explanation);
    await expect(alert).toContainText('Nothing was changed.');
    await alert.getByRole('button', { name: 'OK' }).click();
    await expect(alert).toHaveCount(0);
  }
  expect(await planOptions(page)).toEqual(['Ada']);
  await page.getByRole('button', { name: 'Goal board' }).click();
  await expect(page.getByRole('heading', { name: 'Walk every day' })).toHaveCount(1);
});

test('importing a plan that is already here asks first: cancel, keep both, or merge without losing anything', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await adasPlan(ada);
  const file = await exportPlan(page);
  // A change made after the export, which a merge must keep.
  await addGoal(page, 'Sleep better', 'Evening routine', ['Tea at nine']);

  await importFile(page, file.path);
  const question = page.getByRole('dialog', { name: 'This plan is already on this device' });
  await expect(question).toContainText('The file holds the plan “Ada”');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  expect(await planOptions(page)).toEqual(['Ada']);

  await importFile(page, file.path);
  await question.getByRole('button', { name: 'Keep both (import as a new plan)' }).click();
  await expect.poll(() => planOptions(page)).toEqual(['Ada', 'Ada (copy)']);
  await expect(page.getByRole('combobox', { name: 'Plan' }).locator('option:checked')).toHaveText(
    'Ada (copy)',
  );
  await page.getByRole('button', { name: 'Goal board' }).click();
  await expect(page.getByRole('heading', { name: 'Walk every day' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sleep better' })).toHaveCount(0);

  await page.getByRole('combobox', { name: 'Plan' }).selectOption({ label: 'Ada' });
  await expect(page.getByRole('heading', { name: 'Sleep better' })).toBeVisible();
  await importFile(page, file.path);
  await question.getByRole('button', { name: 'Merge into the plan on this device' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The file was merged into “Ada”.' })).toBeVisible();
  expect(await planOptions(page)).toEqual(['Ada', 'Ada (copy)']);
  await expect(page.getByRole('heading', { name: 'Walk every day' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Sleep better' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Walk every day' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Sleep better' })).toHaveCount(1);
});

test('a file with items that cannot be read says how many will be hidden before it is imported', async ({
  openPerson,
}) => {
  // A plan written by a faulty program: one good goal, and one item that is not a goal.
  const docs = Object.fromEntries(DOC_NAMES.map((name) => [name, new Y.Doc()])) as Record<
    (typeof DOC_NAMES)[number],
    Y.Doc
  >;
  seedServicePlan(docs.plan);
  addGoalTo(docs.goals, { title: 'Cook on Sundays' });
  goalsRoot(docs.goals).set('not a goal', 'just a string');
  const file = JSON.stringify(exportDocs(docs, newPlanId(), 'Cleo'));

  const ada = await openPerson('ada');
  const page = await newPlan(ada, 'Ada');
  await importFile(page, { name: 'cleo.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  const question = page.getByRole('dialog', { name: 'Import this plan?' });
  await expect(question).toContainText('1 item(s) in this file could not be read.');
  await question.getByRole('button', { name: 'Cancel' }).click();
  expect(await planOptions(page)).toEqual(['Ada']);

  await importFile(page, { name: 'cleo.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await question.getByRole('button', { name: 'Yes, import it' }).click();
  await expect.poll(() => planOptions(page)).toEqual(['Ada', 'Cleo']);
  await expect(page.getByRole('heading', { name: 'Cook on Sundays' })).toBeVisible();
  await expect(
    page.getByText('1 item(s) could not be read and are not shown.', { exact: false }),
  ).toBeVisible();
});

test('"Print plan" prints a clean paper version of the service plan and the goal board', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await adasPlan(ada);
  // The print dialog cannot be driven headless: record what the page looked like when asked.
  await page.evaluate(() => {
    const w = window as unknown as { printed: string[] };
    w.printed = [];
    window.print = () =>
      void w.printed.push(document.querySelector('[data-print-document]')?.textContent ?? '');
  });
  await page.getByRole('button', { name: 'Print plan' }).click();
  const printed = await page.evaluate(() => (window as unknown as { printed: string[] }).printed);
  expect(printed).toHaveLength(1);
  const paper = printed[0]!;
  for (const text of [
    'Ada',
    'Service plan',
    'Yellow zone',
    'Early warning signs',
    'Sleeping badly',
    'Bo Berg',
    '+47 22 33 44 55',
    'Goal board',
    'Walk every day',
    'Short walks',
    '☐ Walk to the shop',
    '☑ Buy good shoes',
    '1 of 2 steps done',
  ]) {
    expect(paper).toContain(text);
  }
  // No editor chrome or buttons on paper; empty sections are left out.
  expect(paper).not.toContain('Add goal');
  expect(paper).not.toContain('Practical matters');

  // On paper only the print document shows; on screen it is not there.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('[data-print-document]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export plan' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('[data-print-document]')).toBeHidden();
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await expect(page.locator('[data-print-document]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Print plan' })).toBeEnabled();
});
