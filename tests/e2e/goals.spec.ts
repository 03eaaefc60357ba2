import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { LANGUAGES, messages } from './messages';

/** A fresh profile shows the Welcome screen; this makes the plan and waits for the board. */
async function newPlan(page: Page, name = 'Kari'): Promise<void> {
  await page.getByLabel('Name of the plan').fill(name);
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('button', { name: 'Add goal' })).toBeVisible();
}

async function addGoal(page: Page, title: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill(title);
  await page.getByRole('button', { name: 'Add goal' }).click();
  const card = page.getByRole('article', { name: title });
  await expect(card).toBeVisible();
  return card;
}

async function addSubGoal(card: Locator, title: string): Promise<Locator> {
  await card.getByRole('textbox', { name: 'Sub-goal', exact: true }).fill(title);
  await card.getByRole('button', { name: 'Add sub-goal' }).click();
  const sub = card.getByRole('group', { name: `Sub-goal: ${title}` });
  await expect(sub).toBeVisible();
  return sub;
}

async function addStep(sub: Locator, text: string, helper = ''): Promise<void> {
  await sub.getByRole('textbox', { name: 'Step', exact: true }).fill(text);
  if (helper) await sub.getByRole('textbox', { name: 'Who helps', exact: true }).fill(helper);
  // Enter submits the form, as it does for every add form.
  await sub.getByRole('textbox', { name: 'Step', exact: true }).press('Enter');
  await expect(sub.getByRole('checkbox', { name: text, exact: true })).toBeVisible();
}

const goalTitles = (page: Page) => page.getByRole('article').getByRole('heading', { level: 2 });

test('a goal with a sub-goal, steps, a review and a new order is all there after a reload', async ({
  openPerson,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page);

  const walk = await addGoal(page, 'Walk every day');
  const week = await addSubGoal(walk, 'First week');
  await addStep(week, 'Walk to the corner', 'Mum');
  await addStep(week, 'Walk to the shop');
  await expect(walk).toContainText('0 of 2 steps done');

  await week.getByRole('checkbox', { name: 'Walk to the corner', exact: true }).check();
  await expect(walk).toContainText('1 of 2 steps done');
  await expect(walk.getByRole('progressbar', { name: 'Steps done' }).first()).toHaveAttribute(
    'aria-valuenow',
    '1',
  );
  await expect(week).toContainText('Mum helps');

  await walk.getByRole('button', { name: 'Add review' }).click();
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await expect(walk.getByLabel('Date', { exact: true })).toHaveValue(today);
  await walk.getByLabel('Date', { exact: true }).fill('2026-03-12');
  await walk.getByRole('radio', { name: 'Partly' }).check();
  await walk.getByLabel('Note', { exact: true }).fill('Walked three days');
  await walk.getByLabel('Next step', { exact: true }).fill('Walk with my sister');
  await walk.getByRole('button', { name: 'Save review' }).click();
  const timeline = walk.getByRole('list', { name: 'Review history' });
  await expect(timeline.getByRole('img', { name: '12 March 2026: partly achieved' })).toBeVisible();
  await expect(walk).toContainText('Walk with my sister');

  await addGoal(page, 'Sleep before midnight');
  await expect(goalTitles(page)).toHaveText(['Walk every day', 'Sleep before midnight']);

  // Reordering is a mode: no move buttons until "Change the order" is pressed.
  await expect(page.getByRole('button', { name: /^Move goal/ })).toHaveCount(0);
  const arrange = page.getByRole('button', { name: 'Change the order' });
  await arrange.click();
  await expect(arrange).toHaveAttribute('aria-pressed', 'true');
  // By keyboard: the button keeps the focus, so pressing again would move the goal on.
  const up = page
    .getByRole('article', { name: 'Sleep before midnight' })
    .getByRole('button', { name: 'Move goal up' });
  await expect(up).toHaveAccessibleName('Move goal up: Sleep before midnight');
  await up.focus();
  await page.keyboard.press('Enter');
  await expect(goalTitles(page)).toHaveText(['Sleep before midnight', 'Walk every day']);
  await expect(up).toBeFocused();
  // A screen reader hears which goal went where.
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: 'moved to place' })).toHaveText(
    '“Sleep before midnight” moved to place 1 of 2.',
  );

  // By drag and drop: the handle of "Sleep…" dropped on "Walk…" takes its place. A tall
  // window keeps both in view: Playwright's drag cannot scroll between its two ends.
  await page.setViewportSize({ width: 1280, height: 2400 });
  const sleep = page.getByRole('article', { name: 'Sleep before midnight' });
  await sleep.getByTitle('Drag to move this goal').dragTo(walk, { targetPosition: { x: 60, y: 20 } });
  await expect(goalTitles(page)).toHaveText(['Walk every day', 'Sleep before midnight']);

  await page.reload();
  await expect(goalTitles(page)).toHaveText(['Walk every day', 'Sleep before midnight']);
  const again = page.getByRole('article', { name: 'Walk every day' });
  const sub = again.getByRole('group', { name: 'Sub-goal: First week' });
  await expect(sub.getByRole('checkbox', { name: 'Walk to the corner', exact: true })).toBeChecked();
  await expect(sub.getByRole('checkbox', { name: 'Walk to the shop', exact: true })).not.toBeChecked();
  await expect(again).toContainText('1 of 2 steps done');
  await expect(
    again
      .getByRole('list', { name: 'Review history' })
      .getByRole('img', { name: '12 March 2026: partly achieved' }),
  ).toBeVisible();
});

test('steps can be edited and moved by keyboard, and deleting anything asks first', async ({
  openPerson,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page);

  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByText('Write something in the field first.')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);

  const goal = await addGoal(page, 'Cook a meal each week');
  const sub = await addSubGoal(goal, 'Plan the meals');
  for (const step of ['Choose a recipe', 'Buy the food', 'Cook with Ola']) await addStep(sub, step);
  const steps = sub.locator('.step-text');
  await expect(steps).toHaveText(['Choose a recipe', 'Buy the food', 'Cook with Ola']);

  await page.getByRole('button', { name: 'Change the order' }).click();
  const down = sub
    .getByRole('listitem')
    .filter({ hasText: 'Choose a recipe' })
    .getByRole('button', { name: 'Move step down' });
  await down.focus();
  await page.keyboard.press('Enter');
  await expect(steps).toHaveText(['Buy the food', 'Choose a recipe', 'Cook with Ola']);
  await page.keyboard.press('Enter');
  await expect(steps).toHaveText(['Buy the food', 'Cook with Ola', 'Choose a recipe']);

  await sub.getByRole('button', { name: 'Edit step: Buy the food' }).click();
  await sub.getByRole('textbox', { name: 'Step text' }).fill('Buy the food on Friday');
  await sub.getByRole('textbox', { name: 'How it went' }).fill('Found everything');
  // Every per-item button names its item (issue 10).
  await sub.getByRole('button', { name: 'Done editing: Buy the food on Friday', exact: true }).click();
  await expect(sub.getByRole('checkbox', { name: 'Buy the food on Friday', exact: true })).toBeVisible();
  await expect(sub).toContainText('How it went: Found everything');

  await sub.getByRole('button', { name: 'Edit step: Cook with Ola' }).click();
  const deleteStep = sub.getByRole('button', { name: 'Delete step: Cook with Ola', exact: true });
  await deleteStep.click();
  const question = sub.getByRole('group', { name: 'Delete the step “Cook with Ola”?' });
  await expect(question.getByRole('button', { name: 'No, keep it' })).toBeFocused();
  await question.getByRole('button', { name: 'No, keep it' }).click();
  await expect(deleteStep).toBeFocused();
  await expect(steps).toHaveCount(3);
  await deleteStep.click();
  await sub.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(steps).toHaveText(['Buy the food on Friday', 'Choose a recipe']);

  await goal.getByRole('button', { name: 'Delete goal: Cook a meal each week', exact: true }).click();
  await goal.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('article')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Goal board' })).toBeFocused();
});

test('with the keyboard alone, each add leaves the focus in the next useful field', async ({
  openPerson,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page);
  // A goal, then its first sub-goal, then two steps: typing and Enter, no Tab, no mouse.
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Sleep better');
  await page.keyboard.press('Enter');
  const goal = page.getByRole('article', { name: 'Sleep better' });
  await expect(goal.getByRole('textbox', { name: 'Sub-goal', exact: true })).toBeFocused();
  await page.keyboard.type('An evening routine');
  await page.keyboard.press('Enter');
  const sub = goal.getByRole('group', { name: 'Sub-goal: An evening routine' });
  await expect(sub.getByRole('textbox', { name: 'Step', exact: true })).toBeFocused();
  await page.keyboard.type('Screens off at ten');
  await page.keyboard.press('Enter');
  await expect(sub.getByRole('textbox', { name: 'Step', exact: true })).toBeFocused();
  await page.keyboard.type('Tea without caffeine');
  await page.keyboard.press('Enter');
  await expect(sub.locator('.step-text')).toHaveText(['Screens off at ten', 'Tea without caffeine']);
  // A second sub-goal takes the focus to its own Step field, not the first one's.
  await goal.getByRole('textbox', { name: 'Sub-goal', exact: true }).fill('Up at the same time');
  await page.keyboard.press('Enter');
  const second = goal.getByRole('group', { name: 'Sub-goal: Up at the same time' });
  await expect(second.getByRole('textbox', { name: 'Step', exact: true })).toBeFocused();
});

test('the side panel folds goal cards and stays in step with the app tab', async ({ openPerson }) => {
  const kari = await openPerson('kari');
  const app = await kari.openPage('app.html');
  await newPlan(app);
  const goal = await addGoal(app, 'Meet a friend');

  const side = await kari.openPage('sidepanel.html');
  await side.setViewportSize({ width: 400, height: 900 });
  const card = side.getByRole('article', { name: 'Meet a friend' });
  const fold = card.getByRole('button', { name: 'Meet a friend', exact: true });
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await expect(card.getByRole('textbox', { name: 'Sub-goal', exact: true })).toBeHidden();
  await fold.click();
  await expect(fold).toHaveAttribute('aria-expanded', 'true');
  // Added on the other page, so here it reads first: "Edit" opens the add forms.
  await card.getByRole('button', { name: 'Edit goal: Meet a friend' }).click();

  const sub = await addSubGoal(card, 'Send a message');
  await addStep(sub, 'Write to Siv');
  await sub.getByRole('checkbox', { name: 'Write to Siv', exact: true }).check();

  await expect(goal.getByRole('checkbox', { name: 'Write to Siv', exact: true })).toBeChecked();
  await expect(goal).toContainText('1 of 1 step done');
});

test('the printed goal board shows the words, not the controls', async ({ openPerson }) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page);
  const goal = await addGoal(page, 'Sleep before midnight');
  await goal.getByRole('textbox', { name: 'Life area', exact: true }).fill('Health');
  await page.emulateMedia({ media: 'print' });
  await expect(goal.getByRole('heading', { name: 'Sleep before midnight' })).toBeVisible();
  await expect(goal.getByText('Health', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add goal' })).toBeHidden();
  await expect(goal.getByRole('textbox', { name: 'Life area', exact: true })).toBeHidden();
  await expect(goal.getByRole('button', { name: 'Add review' })).toBeHidden();
});

test('a Norwegian browser gets the goal board in Norwegian', async ({ openPerson }) => {
  const ola = await openPerson('ola', { locale: 'nb-NO' });
  const page = await ola.openPage('app.html');
  await page.getByLabel('Navn på planen').fill('Ola');
  await page.getByRole('button', { name: 'Ny plan' }).click();
  await page.getByRole('textbox', { name: 'Mål', exact: true }).fill('Gå tur hver dag');
  await page.getByRole('button', { name: 'Legg til mål' }).click();
  const goal = page.getByRole('article', { name: 'Gå tur hver dag' });
  await goal.getByText('IMR-moduler (0 valgt)').click();
  await goal.getByRole('checkbox', { name: 'Mestre stress' }).check();
  await expect(goal.getByRole('list', { name: 'IMR-moduler' })).toHaveText('Mestre stress');
  await goal.getByRole('button', { name: 'Legg til oppfølging' }).click();
  await goal.getByLabel('Dato', { exact: true }).fill('2026-03-12');
  await goal.getByRole('radio', { name: 'Delvis' }).check();
  await goal.getByRole('button', { name: 'Lagre oppfølging' }).click();
  await expect(goal.getByRole('img', { name: '12. mars 2026: delvis nådd' })).toBeVisible();
});

test('a board of three goals reads first: at most 40 Tab stops, every step one tap, and Edit opens the rest', async ({
  openPerson,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await newPlan(page);
  for (const goal of ['Walk every day', 'Cook once a week', 'Call a friend']) {
    const card = await addGoal(page, goal);
    for (const part of ['First', 'Then']) {
      const sub = await addSubGoal(card, `${part}: ${goal}`);
      await addStep(sub, `One for ${part} ${goal}`);
      await addStep(sub, `Two for ${part} ${goal}`);
    }
  }
  await page.reload();
  const walk = page.getByRole('article', { name: 'Walk every day' });
  await expect(walk.getByRole('checkbox', { name: 'One for First Walk every day' })).toBeVisible();

  // Tab through the whole page, as a keyboard user would, counting the stops.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const seen: string[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (!el.hasAttribute('data-tab-seen')) el.setAttribute('data-tab-seen', String(Math.random()));
      return el.getAttribute('data-tab-seen');
    });
    if (stop === null || seen.includes(stop)) break;
    seen.push(stop);
  }
  expect(seen.length).toBeGreaterThan(12); // it did walk the board: 12 steps at least
  expect(seen.length).toBeLessThanOrEqual(40);

  // The card reads first: the title once, no fields; each step is one tap.
  await expect(walk.getByRole('heading', { name: 'Walk every day', level: 2 })).toBeVisible();
  await expect(walk.getByRole('textbox')).toHaveCount(0);
  await walk.getByRole('checkbox', { name: 'One for First Walk every day' }).check();
  await expect(walk).toContainText('1 of 4 steps done');
  // "Edit" opens its fields, the add forms and every part's notes; "Done editing" closes them.
  await walk.getByRole('button', { name: 'Edit goal: Walk every day' }).click();
  await expect(walk.getByRole('textbox', { name: 'Goal title', exact: true })).toHaveValue('Walk every day');
  await expect(walk.getByRole('button', { name: 'Add sub-goal' })).toBeVisible();
  await expect(walk.getByRole('button', { name: 'Add step' })).toHaveCount(2);
  await walk.getByRole('button', { name: 'Done editing: Walk every day' }).click();
  await expect(walk.getByRole('textbox')).toHaveCount(0);
  await expect(walk.getByRole('button', { name: 'Edit goal: Walk every day' })).toBeFocused();

  // A part someone asked about keeps its "Comment" (with the count) while the card reads
  // first; parts without an open question have none.
  const commentOn = (target: string) =>
    walk.getByRole('button', {
      name: 'Comment',
      exact: true,
      description: new RegExp(`^Comments on “${target}”`),
    });
  await walk.getByRole('button', { name: 'Edit goal: Walk every day' }).click();
  await commentOn('Two for First Walk every day').click();
  await walk.getByRole('textbox', { name: 'Comment', exact: true }).fill('Which shop?');
  await walk.getByRole('button', { name: 'Save comment' }).click();
  await walk.getByRole('button', { name: 'Done editing: Walk every day' }).click();
  await expect(commentOn('Two for First Walk every day')).toHaveText('Comment (1)');
  await expect(commentOn('One for First Walk every day')).toHaveCount(0);
  await expect(commentOn('First: Walk every day')).toHaveCount(0);
});

for (const [locale, lang] of LANGUAGES) {
  test(`moving a sub-goal or a step says which moved and where, in ${lang}`, async ({ openPerson }) => {
    const t = messages(lang);
    const person = await openPerson('kari', { locale });
    const page = await person.openPage('app.html');
    await page.getByRole('textbox', { name: t('app.planName') }).fill('Kari');
    await page.getByRole('button', { name: t('app.newPlan') }).click();
    await page.getByRole('textbox', { name: t('goals.goal'), exact: true }).fill('Sleep better');
    await page.keyboard.press('Enter');
    for (const sub of ['An evening routine', 'Up at seven']) {
      await page.getByRole('textbox', { name: t('goals.subGoal'), exact: true }).fill(sub);
      await page.getByRole('button', { name: t('goals.addSubGoal') }).click();
    }
    const first = page.getByRole('group', { name: t('goals.subGoalNamed', { title: 'An evening routine' }) });
    for (const step of ['Screens off', 'Warm tea']) {
      await first.getByRole('textbox', { name: t('goals.step'), exact: true }).fill(step);
      await first.getByRole('textbox', { name: t('goals.step'), exact: true }).press('Enter');
      await expect(first.getByRole('checkbox', { name: step, exact: true })).toBeVisible();
    }
    await page.getByRole('button', { name: t('goals.arrange') }).click();
    const live = page.locator('[aria-live="polite"]');
    const moved = (name: string, position: number, count: number) =>
      t('goals.movedNamed', { name, position: String(position), count: String(count) });

    await page
      .getByRole('button', {
        name: t('goals.moveNamed', { action: t('goals.move.subGoal.up'), name: 'Up at seven' }),
        exact: true,
      })
      .click();
    await expect(live.filter({ hasText: 'Up at seven' })).toHaveText(moved('Up at seven', 1, 2));

    await page
      .getByRole('button', {
        name: t('goals.moveNamed', { action: t('goals.move.step.down'), name: 'Screens off' }),
        exact: true,
      })
      .click();
    await expect(live.filter({ hasText: 'Screens off' })).toHaveText(moved('Screens off', 2, 2));
    await expect(first.locator('.step-text')).toHaveText(['Warm tea', 'Screens off']);
  });
}
