import type { Page } from '@playwright/test';
import { test, expect, type Person } from './fixtures';
import { messages } from './messages';

/** `YYYY-MM-DD`, `days` from today on this machine (the browser shares its clock and zone). */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function newPlan(person: Person, name: string): Promise<Page> {
  const page = await person.openPage('app.html');
  await page.getByLabel('Name of the plan').fill(name);
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('heading', { name: 'Goal board', level: 1 })).toBeVisible();
  return page;
}

async function addGoalWithSteps(page: Page, goal: string, steps: { text: string; due?: string }[]) {
  await page.getByRole('button', { name: 'Goal board' }).click();
  await page.getByLabel('Goal', { exact: true }).fill(goal);
  await page.getByRole('button', { name: 'Add goal' }).click();
  await page.getByLabel('Sub-goal', { exact: true }).fill('Start small');
  await page.getByRole('button', { name: 'Add sub-goal' }).click();
  for (const step of steps) {
    await page.getByLabel('Step', { exact: true }).fill(step.text);
    if (step.due) await page.getByLabel('Due date').fill(step.due);
    await page.getByRole('button', { name: 'Add step' }).click();
    await expect(page.getByRole('checkbox', { name: step.text })).toBeVisible();
  }
}

async function addContact(page: Page, name: string, phone: string) {
  await page.getByRole('button', { name: 'Service plan', exact: true }).click();
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Phone', { exact: true }).fill(phone);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('link', { name: new RegExp(name) })).toBeVisible();
}

async function writeSection(page: Page, title: string, text: string) {
  await page.getByRole('button', { name: 'Service plan', exact: true }).click();
  await page.getByRole('textbox', { name: title }).click();
  await page.keyboard.type(text);
  await expect(page.getByRole('textbox', { name: title })).toHaveText(text);
}

test('on first run the crisis card says there is no plan yet and links to making one', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const card = await ada.openPage('popup.html');
  await expect(card.getByText('There is no plan on this device yet.', { exact: false })).toBeVisible();
  const make = card.getByRole('link', { name: 'Make a plan' });
  await expect(make).toHaveAttribute('href', '/app.html');
  await expect(make).toHaveAttribute('target', '_blank');
});

test('the crisis card shows who to call, the red zone and the next steps due, and follows the app live', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const app = await newPlan(ada, 'Ada');
  await addGoalWithSteps(app, 'Walk every day', [
    { text: 'Walk to the shop', due: dayFromToday(2) },
    { text: 'Buy good shoes', due: dayFromToday(0) },
    { text: 'Ask about a walking group' },
  ]);
  await addContact(app, 'Bo Berg', '+47 22 33 44 55');
  await writeSection(app, 'How I want to be met', 'Speak slowly and sit down with me');
  await writeSection(app, 'Early warning signs', 'Sleeping badly');

  const card = await ada.openPage('popup.html');
  await expect(card.getByRole('heading', { name: 'Ada', level: 1 })).toBeVisible();

  const call = card.getByRole('link', { name: /Bo Berg/ });
  await expect(call).toHaveAttribute('href', 'tel:+4722334455');
  // What a screen reader says: the verb, then the visible name and number (no aria-label that
  // could differ from what a voice-control user reads on screen).
  await expect(call).toHaveAccessibleName(/^Call Bo Berg ?, \+47 22 33 44 55$/);
  // One tap with a shaking hand: the call link is large.
  const box = await call.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  // The person's own people come first, the help lines after them.
  const links = await card
    .getByRole('link')
    .evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
  const helpLines = card.getByRole('list', { name: 'Always there' }).getByRole('link');
  const firstHelpLine = await helpLines.first().getAttribute('href');
  expect(links.indexOf('tel:+4722334455')).toBeLessThan(links.indexOf(firstHelpLine!));

  const red = card.getByRole('region', { name: 'When things are hard' });
  await expect(red.getByRole('heading', { name: 'How I want to be met' })).toBeVisible();
  await expect(red.getByText('Speak slowly and sit down with me')).toBeVisible();
  // Only the red zone, and only sections with text.
  await expect(card.getByText('Sleeping badly')).toHaveCount(0);
  await expect(red.getByRole('heading', { name: 'Practical matters' })).toHaveCount(0);

  const steps = card.getByRole('region', { name: 'Next steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('Buy good shoes');
  await expect(steps.nth(0)).toContainText('Today');
  await expect(steps.nth(1)).toContainText('Walk to the shop');
  await expect(steps.nth(1)).toContainText('Goal: Walk every day');
  await expect(card.getByText('Ask about a walking group')).toHaveCount(0);

  await expect(card.getByRole('link', { name: 'Open full plan' })).toHaveAttribute('href', '/app.html');
  await expect(card.getByRole('button', { name: 'Open in side panel' })).toBeVisible();
  // Read-only: nothing on the card can be typed into or ticked.
  await expect(card.getByRole('textbox')).toHaveCount(0);
  await expect(card.getByRole('checkbox')).toHaveCount(0);

  // Edits in the app tab reach the open card, without a reload.
  await app.getByRole('button', { name: 'Goal board' }).click();
  await app.getByRole('checkbox', { name: 'Buy good shoes' }).check();
  await expect(steps).toHaveCount(1);
  await addContact(app, 'Crisis line', '116 123');
  await expect(card.getByRole('link', { name: /Crisis line/ })).toHaveAttribute('href', 'tel:116123');
});

test('the crisis card loads no editor code', async ({ openPerson }) => {
  const ada = await openPerson('ada');
  await newPlan(ada, 'Ada');
  const card = await ada.openPage('popup.html');
  await expect(card.getByRole('heading', { name: 'Ada', level: 1 })).toBeVisible();
  // Every script the card loads: its entry, preloads, and what they import, statically or lazily.
  const scripts = await card.evaluate(async () => {
    const seen = new Map<string, string>();
    const queue = [
      ...[...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((s) => s.src),
      ...[...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map((l) => l.href),
    ];
    while (queue.length > 0) {
      const url = queue.pop()!;
      if (seen.has(url)) continue;
      const text = await (await fetch(url)).text();
      seen.set(url, text);
      for (const match of text.matchAll(/(?:from|import\(?)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
        queue.push(new URL(match[1]!, url).href);
      }
    }
    return [...seen].map(([url, text]) => ({ url, editor: /tiptap|prosemirror/i.test(text) }));
  });
  expect(scripts.length).toBeGreaterThan(1);
  expect(scripts.filter((s) => s.editor)).toEqual([]);
  await expect(card.locator('.ProseMirror')).toHaveCount(0);
});

test('with several plans the card has a plan switcher, and switching shows the other plan', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const app = await newPlan(ada, 'Ada');
  await addContact(app, 'Bo Berg', '12345678');
  await app.getByRole('button', { name: 'New plan' }).click();
  await app.getByLabel('Name of the plan').fill('Cleo');
  await app.getByRole('button', { name: 'New plan' }).last().click();
  await expect(app.getByRole('combobox', { name: 'Plan' })).toContainText('Cleo');

  const card = await ada.openPage('popup.html');
  await expect(card.getByRole('heading', { name: 'Cleo', level: 1 })).toBeVisible();
  await expect(card.getByText('No contacts of your own yet.', { exact: false })).toBeVisible();
  await card.getByRole('combobox', { name: 'Plan' }).selectOption({ label: 'Ada' });
  await expect(card.getByRole('heading', { name: 'Ada', level: 1 })).toBeVisible();
  await expect(card.getByRole('link', { name: /Bo Berg/ })).toHaveAttribute('href', 'tel:12345678');
});

test('the card shows the plan the registry names, whatever the pages last noted for it', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const app = await newPlan(ada, 'Ada');
  await addContact(app, 'Bo Berg', '12345678');
  // The note the popup reads before the registry has loaded (hooks/registry.tsx).
  const adaId = await app.evaluate(() => localStorage.getItem('varde:currentPlanId'));
  expect(adaId).toBeTruthy();
  await app.getByRole('button', { name: 'New plan' }).click();
  await app.getByLabel('Name of the plan').fill('Cleo');
  await app.getByRole('button', { name: 'New plan' }).last().click();
  await expect(app.getByRole('combobox', { name: 'Plan' })).toContainText('Cleo');
  await expect.poll(() => app.evaluate(() => localStorage.getItem('varde:currentPlanId'))).not.toBe(adaId);

  // A stale note (here written by hand) costs time, never the wrong card.
  const card = await ada.openPage('popup.html');
  await card.evaluate((id) => localStorage.setItem('varde:currentPlanId', id!), adaId);
  await card.reload();
  await expect(card.getByRole('heading', { name: 'Cleo', level: 1 })).toBeVisible();
  await expect(card.getByText('No contacts of your own yet.', { exact: false })).toBeVisible();
  await expect(card.getByRole('region', { name: 'Next steps' })).toContainText('No steps with a date');
  await expect(card.getByRole('link', { name: /Bo Berg/ })).toHaveCount(0);
});

for (const { locale, lang, numbers } of [
  { locale: 'nb-NO', lang: 'nb', numbers: ['113', '116117', '116123'] },
  { locale: 'sv-SE', lang: 'sv', numbers: ['112', '1177', '90101'] },
  { locale: 'en-GB', lang: 'en', numbers: ['112'] },
]) {
  test(`a plan without contacts still offers someone to call, in ${lang}: the country's help numbers`, async ({
    openPerson,
  }) => {
    const person = await openPerson('ada', { locale });
    const app = await person.openPage('app.html');
    await app.locator('input').first().fill('Ada');
    await app.locator('form button[type=submit]').first().click();
    await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
    const card = await person.openPage('popup.html');
    const lines = card.getByRole('list', { name: lang === 'en' ? 'Always there' : /Alltid d/ });
    await expect(lines.getByRole('link')).toHaveCount(numbers.length);
    const hrefs = await lines
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(numbers.map((n) => `tel:${n}`));
    for (const link of await lines.getByRole('link').all()) {
      expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    // An empty red zone says so gently, and where to fill it in.
    const t = messages(lang);
    await expect(card.getByText(t('crisis.redZoneEmpty'))).toBeVisible();
  });
}

test('a Swedish-speaking person in Norway chooses Norway on the card, and every card on the device keeps it', async ({
  openPerson,
}) => {
  const person = await openPerson('ada', { locale: 'sv-SE' });
  const app = await person.openPage('app.html');
  await app.locator('input').first().fill('Ada');
  await app.locator('form button[type=submit]').first().click();
  await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
  const card = await person.openPage('popup.html');
  const lines = card.getByRole('list', { name: 'Alltid där' });
  await expect(lines.getByRole('link').first()).toHaveAttribute('href', 'tel:112');
  const country = card.getByRole('combobox', { name: 'Nummer för' });
  await expect(country).toHaveValue('SE');
  await country.selectOption({ label: 'Norge' });
  await expect(lines.getByRole('link')).toHaveCount(3);
  expect(
    await lines.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
  ).toEqual(['tel:113', 'tel:116117', 'tel:116123']);
  // The language stays Swedish; the choice is kept on the device, for the full plan too.
  await expect(card.getByRole('combobox', { name: 'Nummer för' })).toBeVisible();
  await card.reload();
  await expect(card.getByRole('list', { name: 'Alltid där' }).getByRole('link').first()).toHaveAttribute(
    'href',
    'tel:113',
  );
  await app.getByRole('button', { name: /När det är svårt/ }).click();
  await expect(app.getByRole('list', { name: 'Alltid där' }).getByRole('link').first()).toHaveAttribute(
    'href',
    'tel:113',
  );
});

test('in the full plan, "When it is hard" is the first view: one tap shows who to call, the help lines and the red zone', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const app = await newPlan(ada, 'Ada');
  // The new plan takes the focus to its first heading, not back to the page.
  await expect(app.getByRole('heading', { name: 'Goal board', level: 1 })).toBeFocused();
  const views = app.getByRole('navigation', { name: 'Views' }).getByRole('button');
  await expect(views.first()).toHaveText('When it is hard');

  // An empty plan still offers someone to call: the help lines of the person's language.
  await app.getByRole('button', { name: 'When it is hard' }).click();
  await expect(app.getByRole('heading', { name: 'When it is hard', level: 1 })).toBeVisible();
  const always = app.getByRole('list', { name: 'Always there' });
  await expect(always.getByRole('link').first()).toHaveAttribute('href', /^tel:/);
  await expect(
    app.getByText('No contacts of your own yet. You can add them in the service plan.'),
  ).toBeVisible();

  await addContact(app, 'Bo Berg', '+47 22 33 44 55');
  await writeSection(app, 'How I want to be met', 'Speak slowly and sit down with me');
  await app.getByRole('button', { name: 'When it is hard' }).click();
  await expect(app.getByRole('link', { name: /Bo Berg/ })).toHaveAttribute('href', 'tel:+4722334455');
  const red = app.getByRole('region', { name: 'Red zone' });
  await expect(red.getByText('Speak slowly and sit down with me')).toBeVisible();
  // The view is for reading: changing it is one tap away, in the service plan.
  await expect(app.getByRole('textbox')).toHaveCount(0);
  await app.getByRole('button', { name: 'Change this in the service plan' }).click();
  await expect(app.getByRole('heading', { name: 'Service plan', level: 1 })).toBeVisible();

  // The address remembers the view: a reload opens it again.
  await app.getByRole('button', { name: 'When it is hard' }).click();
  await app.reload();
  await expect(app.getByRole('heading', { name: 'When it is hard', level: 1 })).toBeVisible();
});

for (const [locale, title] of [
  ['en-GB', 'Open crisis card'],
  ['nb-NO', 'Åpne krisekortet'],
  ['sv-SE', 'Öppna kriskortet'],
] as const) {
  test(`the toolbar button says what it opens, in the browser's language (${locale})`, async ({
    openPerson,
  }) => {
    const person = await openPerson('tove', { locale });
    // What a pointer's tooltip and a screen reader say for the toolbar button.
    const shown = await person.serviceWorker.evaluate(() =>
      (
        globalThis as unknown as { chrome: { action: { getTitle(d: object): Promise<string> } } }
      ).chrome.action.getTitle({}),
    );
    expect(shown).toBe(title);
  });
}

test('on a 360 px phone screen and in a narrow side panel, "When it is hard" is on screen and one tap shows a number to call', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const app = await newPlan(ada, 'Ada');
  await addContact(app, 'Bo Berg', '+47 22 33 44 55');
  for (const [page, size] of [
    [app, { width: 360, height: 740 }],
    [await ada.openPage('sidepanel.html'), { width: 360, height: 740 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.getByRole('button', { name: 'Goal board' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const hard = page.getByRole('button', { name: 'When it is hard' });
    await expect(hard).toBeInViewport();
    await hard.click();
    // The number is on the first screen of the view, without scrolling.
    await expect(page.getByRole('link', { name: /Bo Berg/ })).toBeInViewport();
    // Nothing is wider than the screen, and the header leaves most of it to the plan.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    const header = await page.getByRole('banner').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(size.height / 4);
    // What is seldom needed there waits behind "More".
    await expect(page.getByRole('combobox', { name: 'Language' })).toBeHidden();
    await page.getByRole('button', { name: 'More' }).click();
    await expect(page.getByRole('combobox', { name: 'Language' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Join a plan' })).toBeVisible();
  }
});
