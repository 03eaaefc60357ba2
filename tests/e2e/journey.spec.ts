import type { Locator, Page } from '@playwright/test';
import { test, expect, type Person } from './fixtures';

/**
 * The whole of issue 2 as one person uses it: everything they make survives a reload and a
 * closed and reopened browser; the side panel and the app tab stay in step; the language
 * switches; several plans live side by side.
 */

async function newPlan(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill(name);
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('button', { name: 'Add goal' })).toBeVisible();
}

const goalCard = (page: Page, title: string) => page.getByRole('article', { name: title });

async function buildPlan(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Take the bus to town');
  await page.getByRole('button', { name: 'Add goal' }).click();
  const goal = goalCard(page, 'Take the bus to town');
  await goal.getByRole('textbox', { name: 'Sub-goal', exact: true }).fill('Get used to the bus');
  await goal.getByRole('button', { name: 'Add sub-goal' }).click();
  for (const step of ['Find the timetable', 'Ride two stops with Siv']) {
    await goal.getByRole('textbox', { name: 'Step', exact: true }).fill(step);
    await goal.getByRole('button', { name: 'Add step' }).click();
    await expect(goal.getByRole('checkbox', { name: step, exact: true })).toBeVisible();
  }
  await goal.getByRole('checkbox', { name: 'Find the timetable', exact: true }).check();

  // A comment on the goal, then resolved.
  const goalComment = goal.getByRole('button', { name: 'Comment', exact: true }).last();
  await goalComment.click();
  await goal
    .getByRole('textbox', { name: 'Comment', exact: true })
    .last()
    .fill('Good plan: start on a Sunday');
  await goal.getByRole('button', { name: 'Save comment' }).last().click();
  await goal.getByRole('button', { name: 'Resolve' }).click();
  await expect(goal.getByRole('button', { name: /Show resolved/ })).toBeVisible();

  await page.getByRole('button', { name: 'Service plan' }).click();
  const signs = page.getByRole('textbox', { name: 'Early warning signs' });
  await signs.click();
  await page.keyboard.type('I stop answering the phone');
  await expect(signs).toHaveText('I stop answering the phone');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Siv Dahl');
  await page.getByLabel('Phone', { exact: true }).fill('+47 400 00 000');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('link', { name: /Siv Dahl/ })).toHaveAttribute('href', 'tel:+4740000000');
}

async function expectPlan(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Goal board' }).click();
  const goal = goalCard(page, 'Take the bus to town');
  await expect(goal.getByRole('checkbox', { name: 'Find the timetable', exact: true })).toBeChecked();
  await expect(
    goal.getByRole('checkbox', { name: 'Ride two stops with Siv', exact: true }),
  ).not.toBeChecked();
  await expect(goal).toContainText('1 of 2 steps done');
  await goal.getByRole('button', { name: 'Comment', exact: true }).last().click();
  await goal.getByRole('button', { name: /Show resolved/ }).click();
  await expect(goal.getByText('Good plan: start on a Sunday')).toBeVisible();
  await page.getByRole('button', { name: 'Service plan' }).click();
  await expect(page.getByRole('textbox', { name: 'Early warning signs' })).toHaveText(
    'I stop answering the phone',
  );
  await expect(page.getByRole('link', { name: /Siv Dahl/ })).toHaveAttribute('href', 'tel:+4740000000');
}

test('everything a person makes is still there after a reload and after closing and reopening the browser', async ({
  openPerson,
  relaunch,
}) => {
  const kari: Person = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page, 'Kari');
  await buildPlan(page);

  await page.reload();
  await expectPlan(page);

  await relaunch(kari);
  const again = await kari.openPage('app.html');
  await expect(again.getByRole('combobox', { name: 'Plan' }).locator('option:checked')).toHaveText('Kari');
  await expectPlan(again);
});

test('text typed into the side panel appears live in the app tab, and back', async ({ openPerson }) => {
  const kari = await openPerson('kari');
  const app = await kari.openPage('app.html');
  await newPlan(app, 'Kari');
  await app.getByRole('button', { name: 'Service plan' }).click();
  const side = await kari.openPage('sidepanel.html');
  await side.setViewportSize({ width: 400, height: 900 });
  await side.getByRole('button', { name: 'Service plan' }).click();

  await side.getByRole('textbox', { name: 'Triggers' }).click();
  await side.keyboard.type('Loud parties');
  await expect(app.getByRole('textbox', { name: 'Triggers' })).toHaveText('Loud parties');

  await app.getByRole('textbox', { name: 'What I do' }).click();
  await app.keyboard.type('Go for a walk');
  await expect(side.getByRole('textbox', { name: 'What I do' })).toHaveText('Go for a walk');
});

const sectionNames = (page: Page) =>
  page
    .getByRole('textbox')
    .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label')).filter((n) => n !== null));

test('switching the language to Norwegian shows the service plan in Norwegian in every open page', async ({
  openPerson,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page, 'Kari');
  const other = await kari.openPage('app.html');
  await page.getByRole('button', { name: 'Service plan' }).click();
  await other.getByRole('button', { name: 'Service plan' }).click();
  expect(await sectionNames(page)).toContain('Early warning signs');

  await page.getByRole('combobox', { name: 'Language' }).selectOption('nb');
  for (const p of [page, other]) {
    await expect(p.getByRole('textbox', { name: 'Tidlige varseltegn' })).toBeVisible();
    await expect(p.getByRole('textbox', { name: 'Tegn på at andre må ta over' })).toBeVisible();
    await expect(p.getByRole('button', { name: 'Måltavle' })).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Språk' })).toHaveValue('nb');
});

test('a Swedish browser starts in Swedish', async ({ openPerson }) => {
  const page = await (await openPerson('karin', { locale: 'sv-SE' })).openPage('app.html');
  await expect(page.getByRole('heading', { name: 'Välkommen till Varde' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Planens namn' }).fill('Karin');
  await page.getByRole('button', { name: 'Ny plan' }).click();
  await page.getByRole('button', { name: 'Plan för att må bra' }).click();
  await expect(page.getByRole('textbox', { name: 'Tidiga varningstecken' })).toBeVisible();
});

test('the welcome screen has the language first and one primary action; joining and importing wait behind a tap', async ({
  openPerson,
}) => {
  const page = await (await openPerson('nils', { locale: 'en-GB' })).openPage('app.html');
  await expect(page.getByRole('heading', { name: 'Welcome to Varde' })).toBeVisible();
  // The first control a keyboard reaches is the language, so someone who cannot read this
  // one finds their own before anything else.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Language' })).toBeFocused();
  // One button is shown; joining and importing are closed disclosures until asked for.
  await expect(page.getByRole('main').getByRole('button')).toHaveText(['New plan']);
  await expect(page.getByRole('textbox', { name: 'Invite code' })).toBeHidden();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('nb');
  await expect(page.getByRole('heading', { name: 'Velkommen til Varde' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button')).toHaveText(['Ny plan']);
});

async function goalTitles(page: Page): Promise<string[]> {
  const cards: Locator = page.getByRole('article');
  return cards.evaluateAll((els) =>
    els.map((el) => el.getAttribute('aria-label') ?? el.querySelector('h2,h3')?.textContent ?? ''),
  );
}

test('a therapist holds several plans on one device and switches between them', async ({ openPerson }) => {
  const page = await (await openPerson('therapist')).openPage('app.html');
  await newPlan(page, 'Ola');
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Cook dinner twice a week');
  await page.getByRole('button', { name: 'Add goal' }).click();

  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Mona');
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('combobox', { name: 'Plan' }).locator('option:checked')).toHaveText('Mona');
  await expect(goalCard(page, 'Cook dinner twice a week')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Join the choir');
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(goalCard(page, 'Join the choir')).toBeVisible();

  await page.getByRole('combobox', { name: 'Plan' }).selectOption({ label: 'Ola' });
  await expect(goalCard(page, 'Cook dinner twice a week')).toBeVisible();
  await expect(goalCard(page, 'Join the choir')).toHaveCount(0);
  expect(await goalTitles(page)).toHaveLength(1);
});
