import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

/**
 * Progress that notices (issue 10): finishing the steps of a sub-goal or a goal brings an
 * offer to mark it, nothing changes status without the person's tap, counts are plural in
 * each language, and a step past its date says so in words with an icon.
 */

/** The words of one language that these tests read or press. */
interface Words {
  locale: string;
  planName: string;
  newPlan: string;
  goal: string;
  addGoal: string;
  subGoal: string;
  addSubGoal: string;
  subGoalNamed: (title: string) => string;
  step: string;
  dueDate: string;
  statusLabel: string;
  oneOfOne: string;
  goalOffer: string;
  markAchieved: string;
  subGoalOffer: string;
  markDone: string;
  notNow: string;
  active: string;
  achieved: string;
  overdue: string;
  reminder: string;
}

const EN: Words = {
  locale: 'en-GB',
  planName: 'Name of the plan',
  newPlan: 'New plan',
  goal: 'Goal',
  addGoal: 'Add goal',
  subGoal: 'Sub-goal',
  addSubGoal: 'Add sub-goal',
  subGoalNamed: (title) => `Sub-goal: ${title}`,
  step: 'Step',
  dueDate: 'Due date',
  statusLabel: 'Status',
  oneOfOne: '1 of 1 step done',
  goalOffer: 'All steps are done — mark the goal as achieved?',
  markAchieved: 'Mark as achieved',
  subGoalOffer: 'All steps are done — mark the sub-goal as done?',
  markDone: 'Mark as done',
  notNow: 'Not now',
  active: 'Active',
  achieved: 'Achieved',
  overdue: 'Overdue since',
  reminder: 'Reminder',
};

const NB: Words = {
  locale: 'nb-NO',
  planName: 'Navn på planen',
  newPlan: 'Ny plan',
  goal: 'Mål',
  addGoal: 'Legg til mål',
  subGoal: 'Delmål',
  addSubGoal: 'Legg til delmål',
  subGoalNamed: (title) => `Delmål: ${title}`,
  step: 'Steg',
  dueDate: 'Frist',
  statusLabel: 'Status',
  oneOfOne: '1 av 1 steg gjort',
  goalOffer: 'Alle stegene er gjort – vil du merke målet som nådd?',
  markAchieved: 'Merk som nådd',
  subGoalOffer: 'Alle stegene er gjort – vil du merke delmålet som ferdig?',
  markDone: 'Merk som ferdig',
  notNow: 'Ikke nå',
  active: 'Aktivt',
  achieved: 'Nådd',
  overdue: 'Fristen gikk ut',
  reminder: 'Påminnelse',
};

const SV: Words = {
  locale: 'sv-SE',
  planName: 'Planens namn',
  newPlan: 'Ny plan',
  goal: 'Mål',
  addGoal: 'Lägg till mål',
  subGoal: 'Delmål',
  addSubGoal: 'Lägg till delmål',
  subGoalNamed: (title) => `Delmål: ${title}`,
  step: 'Steg',
  dueDate: 'Klart senast',
  statusLabel: 'Status',
  oneOfOne: '1 av 1 steg klart',
  goalOffer: 'Alla steg är klara – vill du markera målet som uppnått?',
  markAchieved: 'Markera som uppnått',
  subGoalOffer: 'Alla steg är klara – vill du markera delmålet som klart?',
  markDone: 'Markera som klart',
  notNow: 'Inte nu',
  active: 'Aktivt',
  achieved: 'Uppnått',
  overdue: 'Försenat sedan',
  reminder: 'Påminnelse',
};

async function newPlan(page: Page, w: Words): Promise<void> {
  await page.getByLabel(w.planName).fill('Kari');
  await page.getByRole('button', { name: w.newPlan }).click();
  await expect(page.getByRole('button', { name: w.addGoal })).toBeVisible();
}

async function addGoal(page: Page, w: Words, title: string): Promise<Locator> {
  await page.getByRole('textbox', { name: w.goal, exact: true }).fill(title);
  await page.getByRole('button', { name: w.addGoal }).click();
  const card = page.getByRole('article', { name: title });
  await expect(card).toBeVisible();
  return card;
}

async function addSubGoal(card: Locator, w: Words, title: string): Promise<Locator> {
  await card.getByRole('textbox', { name: w.subGoal, exact: true }).fill(title);
  await card.getByRole('button', { name: w.addSubGoal }).click();
  const sub = card.getByRole('group', { name: w.subGoalNamed(title) });
  await expect(sub).toBeVisible();
  return sub;
}

async function addStep(sub: Locator, w: Words, text: string, dueDate = ''): Promise<void> {
  await sub.getByRole('textbox', { name: w.step, exact: true }).fill(text);
  if (dueDate) await sub.getByLabel(w.dueDate, { exact: true }).fill(dueDate);
  await sub.getByRole('textbox', { name: w.step, exact: true }).press('Enter');
  await expect(sub.getByRole('checkbox', { name: text, exact: true })).toBeVisible();
}

/** The sub-goal's own status select (the one in its header, not a step's). */
const subStatus = (sub: Locator, w: Words) => sub.getByRole('combobox', { name: w.statusLabel }).first();
/** The offer, a group named by its question. */
const offer = (scope: Locator, question: string) => scope.getByRole('group', { name: question });

/** axe-core's violations of any impact, as in a11y.spec.ts. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

/** Yesterday on the page's own calendar, as the date field takes it. */
const yesterday = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() - 1);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });

test('ticking the last steps offers to mark the sub-goal done and the goal achieved, and nothing changes without a tap', async ({
  openPerson,
}) => {
  const w = EN;
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page, w);
  const goal = await addGoal(page, w, 'Walk every day');
  const week = await addSubGoal(goal, w, 'First week');
  await addStep(week, w, 'Walk to the corner');
  await addStep(week, w, 'Walk to the shop');
  const later = await addSubGoal(goal, w, 'Second week');
  await addStep(later, w, 'Walk to the park');
  await expect(goal.getByText('0 of 3 steps done')).toBeVisible();
  await expect(later.getByText('0 of 1 step done')).toBeVisible();

  // A start in a sub-goal that is "Not started" is offered, not applied.
  await week.getByRole('checkbox', { name: 'Walk to the corner', exact: true }).check();
  const started = offer(week, 'You have made a start — mark the sub-goal as in progress?');
  await expect(started).toBeVisible();
  await expect(subStatus(week, w)).toHaveValue('todo');
  await started.getByRole('button', { name: w.notNow }).click();
  await expect(started).toBeHidden();
  // Answering takes the focus back to the step that brought the offer.
  await expect(week.getByRole('checkbox', { name: 'Walk to the corner', exact: true })).toBeFocused();
  await expect(subStatus(week, w)).toHaveValue('todo');

  // Every step of the sub-goal done: an offer, the status still as it was.
  await week.getByRole('checkbox', { name: 'Walk to the shop', exact: true }).check();
  await expect(week.getByText('2 of 2 steps done')).toBeVisible();
  const subDone = offer(week, w.subGoalOffer);
  await expect(subDone).toBeVisible();
  await expect(subStatus(week, w)).toHaveValue('todo');
  await expect(offer(goal, w.goalOffer)).toHaveCount(0);
  await subDone.getByRole('button', { name: w.markDone }).click();
  await expect(subStatus(week, w)).toHaveValue('done');
  await expect(week.getByText('Well done! The sub-goal is marked as done.')).toBeFocused();

  // The last step of the goal: the goal is offered "achieved", and stays Active until tapped.
  await later.getByRole('checkbox', { name: 'Walk to the park', exact: true }).check();
  await expect(later.getByText(w.oneOfOne, { exact: true })).toBeVisible();
  await expect(goal.getByText('3 of 3 steps done', { exact: true })).toBeVisible();
  const achieved = offer(goal, w.goalOffer);
  await expect(achieved).toBeVisible();
  await expect(goal.locator('.status-badge')).toHaveText(w.active);
  await expect(goal.getByRole('combobox', { name: w.statusLabel }).first()).toHaveValue('active');

  // "Not now" hides it and changes nothing; finishing again offers again.
  await achieved.getByRole('button', { name: w.notNow }).click();
  await expect(achieved).toBeHidden();
  await expect(goal.locator('.status-badge')).toHaveText(w.active);
  await later.getByRole('checkbox', { name: 'Walk to the park', exact: true }).uncheck();
  await expect(achieved).toBeHidden();
  await later.getByRole('checkbox', { name: 'Walk to the park', exact: true }).check();
  await expect(achieved).toBeVisible();

  await achieved.getByRole('button', { name: w.markAchieved }).click();
  await expect(goal.locator('.status-badge')).toHaveText(w.achieved);
  await expect(goal.getByText('Well done! The goal is marked as achieved.')).toBeFocused();
  await expect(offer(goal, w.goalOffer)).toHaveCount(0);

  // What was tapped was saved; what was not tapped was not.
  await page.reload();
  const again = page.getByRole('article', { name: 'Walk every day' });
  await expect(again.locator('.status-badge')).toHaveText(w.achieved);
  await again.getByRole('button', { name: 'Edit goal: Walk every day' }).click();
  await expect(subStatus(again.getByRole('group', { name: 'Sub-goal: First week' }), w)).toHaveValue('done');
  await expect(subStatus(again.getByRole('group', { name: 'Sub-goal: Second week' }), w)).toHaveValue('todo');
  await expect(offer(again, w.goalOffer)).toHaveCount(0);
});

test('a goal that reads first offers too: ticking its last step offers "achieved", and one tap marks it', async ({
  openPerson,
}) => {
  const w = EN;
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page, w);
  const goal = await addGoal(page, w, 'Walk every day');
  const week = await addSubGoal(goal, w, 'First week');
  await addStep(week, w, 'Walk to the corner');
  await addStep(week, w, 'Walk to the shop');
  // Close the card: it now reads first, its steps still one tap each.
  await goal.getByRole('button', { name: 'Done editing: Walk every day' }).click();
  await expect(goal.getByRole('button', { name: 'Edit goal: Walk every day' })).toBeVisible();
  await expect(goal.getByRole('textbox')).toHaveCount(0);
  await week.getByRole('checkbox', { name: 'Walk to the corner', exact: true }).check();
  await week.getByRole('checkbox', { name: 'Walk to the shop', exact: true }).check();
  const subDone = offer(week, w.subGoalOffer);
  await expect(subDone).toBeVisible();
  await subDone.getByRole('button', { name: w.markDone }).click();
  const achieved = offer(goal, w.goalOffer);
  await expect(achieved).toBeVisible();
  await expect(goal.locator('.status-badge')).toHaveText(w.active);
  await achieved.getByRole('button', { name: w.markAchieved }).click();
  await expect(goal.locator('.status-badge')).toHaveText(w.achieved);
  await expect(goal.getByRole('textbox')).toHaveCount(0);
});

for (const w of [EN, NB, SV]) {
  test(`counts, offers and overdue steps speak ${w.locale}`, async ({ openPerson }) => {
    const person = await openPerson(`p-${w.locale}`, { locale: w.locale });
    const page = await person.openPage('app.html');
    await newPlan(page, w);
    const goal = await addGoal(page, w, 'Tur');
    const sub = await addSubGoal(goal, w, 'Uke 1');
    await addStep(sub, w, 'Ring Siv', await yesterday(page));

    const row = sub.getByRole('listitem').filter({ has: page.getByRole('checkbox', { name: 'Ring Siv' }) });
    await expect(row).toContainText(w.overdue);
    await expect(row.getByRole('img', { name: w.reminder })).toBeVisible();
    expect(await violations(page)).toEqual([]);

    await sub.getByRole('checkbox', { name: 'Ring Siv', exact: true }).check();
    await expect(row).not.toContainText(w.overdue);
    await expect(sub.getByText(w.oneOfOne, { exact: true })).toBeVisible();
    await expect(goal.getByText(w.oneOfOne, { exact: true }).first()).toBeVisible();

    const subDone = offer(sub, w.subGoalOffer);
    await expect(subDone.getByRole('button', { name: w.markDone })).toBeVisible();
    await expect(subDone.getByRole('button', { name: w.notNow })).toBeVisible();
    const achieved = offer(goal, w.goalOffer);
    await expect(achieved).toBeVisible();
    await expect(goal.locator('.status-badge')).toHaveText(w.active);
    expect(await violations(page)).toEqual([]);
    await achieved.getByRole('button', { name: w.markAchieved }).click();
    await expect(goal.locator('.status-badge')).toHaveText(w.achieved);
    expect(await violations(page)).toEqual([]);
  });
}
