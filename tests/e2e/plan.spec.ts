import type { Locator, Page } from '@playwright/test';
import { test, expect, type Person } from './fixtures';
import { LANGUAGES, messages } from './messages';

/** A fresh profile: name the plan, create it, and open the service plan. */
async function newPlan(person: Person): Promise<Page> {
  const page = await person.openPage('app.html#plan');
  await page.getByLabel('Name of the plan').fill('Ada');
  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByRole('button', { name: 'Service plan' }).click();
  await expect(page.getByRole('heading', { name: 'Service plan', level: 1 })).toBeVisible();
  return page;
}

/** The accessible names of the section editors in one zone, top to bottom. */
const editorNames = (zone: Locator) =>
  zone.getByRole('textbox').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('aria-label')));

const zone = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('a new service plan shows the twelve IMR sections, empty, in green, yellow and red zones', async ({
  openPerson,
}) => {
  const page = await newPlan(await openPerson('ada'));
  expect(await editorNames(zone(page, 'Green zone'))).toEqual(['When I am well', 'What keeps me well']);
  expect(await editorNames(zone(page, 'Yellow zone'))).toEqual([
    'Triggers',
    'Early warning signs',
    'What I do',
    'What others can do',
  ]);
  expect(await editorNames(zone(page, 'Red zone'))).toEqual([
    'Signs that others need to step in',
    'Treatment wishes in a crisis',
    'How I want to be met',
    'What does not help',
    'Practical matters',
    'People not to involve',
  ]);
  const signs = page.getByRole('textbox', { name: 'Early warning signs' });
  expect(await signs.textContent()).toBe('');
  await expect(signs).toHaveAccessibleDescription('noticed by me or by others');
  await expect(page.getByText('No contacts yet.')).toBeVisible();

  // An empty section folds to its title and a one-line field that says what to do; writing
  // in it opens it to its full height, with its prompt.
  await expect(signs).toHaveAttribute('aria-placeholder', 'Add text to Early warning signs');
  await expect(page.getByText('Add text to Early warning signs', { exact: true })).toBeVisible();
  const prompt = page.getByText('noticed by me or by others');
  const promptHeight = async () => (await prompt.boundingBox())?.height ?? 0;
  expect(await promptHeight()).toBeLessThanOrEqual(1); // only for screen readers while folded
  const folded = (await signs.boundingBox())!.height;
  expect(folded).toBeLessThan(60);
  await signs.click();
  await expect.poll(promptHeight).toBeGreaterThan(10);
  expect((await signs.boundingBox())!.height).toBeGreaterThan(folded);
  await page.keyboard.type('Sleeping badly');
  await expect(signs).not.toHaveAttribute('aria-placeholder');
  // Reordering is a mode: no move buttons on the sections until it is asked for.
  await expect(page.getByRole('button', { name: /^Move up:/ })).toHaveCount(0);

  // "Go to" at the top: one tap takes the view (and the focus) to the red zone or the contacts.
  const jumps = page.getByRole('navigation', { name: 'Go to' });
  await expect(jumps.getByRole('button')).toHaveText(['Green zone', 'Yellow zone', 'Red zone', 'Contacts']);
  await jumps.getByRole('button', { name: 'Red zone' }).click();
  const red = page.getByRole('heading', { name: 'Red zone', level: 2 });
  await expect(red).toBeFocused();
  await expect(red).toBeInViewport();
  await jumps.getByRole('button', { name: 'Contacts' }).click();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 2 })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 2 })).toBeInViewport();
});

test('what a person writes, adds, moves and dates in the service plan is still there after a reload', async ({
  openPerson,
}) => {
  const page = await newPlan(await openPerson('ada'));

  // Write into a section.
  await page.getByRole('textbox', { name: 'Early warning signs' }).click();
  await page.keyboard.type('Sleeping badly; not answering the phone');
  await expect(page.getByRole('textbox', { name: 'Early warning signs' })).toHaveText(
    'Sleeping badly; not answering the phone',
  );

  // A contact: a wrong phone number is explained next to the field and nothing is added.
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name').fill('Bo Berg');
  await page.getByLabel('Phone').fill('call me');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByLabel('Phone')).toHaveAccessibleDescription(/does not look like a phone number/);
  await page.getByLabel('Phone').fill('+47 22 33 44 55');
  await page.getByLabel('Relation').fill('brother');
  await page.getByLabel('Role').selectOption({ label: 'Family' });
  await page.getByLabel('What they do').fill('Comes over and stays the night');
  await page.getByRole('button', { name: 'Add contact' }).click();
  const call = page.getByRole('link', { name: /Bo Berg/ });
  await expect(call).toHaveAttribute('href', 'tel:+4722334455');
  await expect(call).toHaveText(/\+47 22 33 44 55/);
  await expect(page.getByRole('listitem').filter({ hasText: 'Bo Berg' })).toHaveCount(1);

  // A custom section in the red zone, moved up one place.
  await page.getByRole('button', { name: 'Add section' }).click();
  await page.getByLabel('Section title').fill('Medicines');
  await page.getByRole('radio', { name: 'Red zone' }).check();
  await page.getByRole('button', { name: 'Add section' }).click();
  await expect.poll(() => editorNames(zone(page, 'Red zone'))).toContain('Medicines');
  expect((await editorNames(zone(page, 'Red zone'))).slice(-2)).toEqual([
    'People not to involve',
    'Medicines',
  ]);
  const arrange = page.getByRole('button', { name: 'Change the order' });
  await arrange.click();
  await expect(arrange).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Move up: Medicines' }).click();
  await expect
    .poll(async () => (await editorNames(zone(page, 'Red zone'))).slice(-2))
    .toEqual(['Medicines', 'People not to involve']);
  await expect(page.getByRole('button', { name: 'Move up: Medicines' })).toBeFocused();
  // A screen reader hears what moved and where.
  const places = await editorNames(zone(page, 'Red zone'));
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: 'moved to place' })).toHaveText(
    `“Medicines” moved to place ${places.indexOf('Medicines') + 1} of ${places.length}.`,
  );
  await arrange.click();
  await expect(arrange).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('button', { name: /^Move up:/ })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Medicines' }).click();
  await page.keyboard.type('Half a tablet in the evening');

  // Review dates; a next review in the past brings a calm reminder.
  await page.getByLabel('Reviewed on').fill('2024-01-10');
  await page.getByLabel('Next review').fill('2024-04-10');
  await expect(page.getByText(/It is time to look over this plan together again/)).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Early warning signs' })).toBeVisible();
  expect(await page.getByRole('textbox', { name: 'Early warning signs' }).textContent()).toBe(
    'Sleeping badly; not answering the phone',
  );
  expect(await page.getByRole('textbox', { name: 'Medicines' }).textContent()).toBe(
    'Half a tablet in the evening',
  );
  expect((await editorNames(zone(page, 'Red zone'))).slice(-2)).toEqual([
    'Medicines',
    'People not to involve',
  ]);
  await expect(page.getByRole('link', { name: /Bo Berg/ })).toHaveAttribute('href', 'tel:+4722334455');
  await expect(page.getByText('brother · Family')).toBeVisible();
  await expect(page.getByText('Comes over and stays the night')).toBeVisible();
  await expect(page.getByLabel('Reviewed on')).toHaveValue('2024-01-10');
  await expect(page.getByLabel('Next review')).toHaveValue('2024-04-10');
  await expect(page.getByText(/The next review was planned for 10 April 2024/)).toBeVisible();
});

test('a custom section and a contact are deleted only after the person confirms', async ({ openPerson }) => {
  const page = await newPlan(await openPerson('ada'));
  await page.getByRole('button', { name: 'Add section' }).click();
  await page.getByLabel('Section title').fill('Medicines');
  await page.getByRole('button', { name: 'Add section' }).click();
  await expect(page.getByRole('textbox', { name: 'Medicines' })).toBeVisible();

  await page.getByRole('button', { name: 'Rename: Medicines' }).click();
  await page.getByLabel('Section title').fill('My medicines');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('textbox', { name: 'My medicines' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete section: My medicines' }).click();
  await expect(
    page.getByText('Delete the section “My medicines” and everything written in it?'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'No, keep it' }).click();
  await expect(page.getByRole('textbox', { name: 'My medicines' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete section: My medicines' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('textbox', { name: 'My medicines' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name').fill('Crisis line');
  await page.getByLabel('Phone').fill('116 123');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('button', { name: 'Edit contact: Crisis line' }).click();
  await page.getByLabel('Phone').fill('116 117');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: /Crisis line/ })).toHaveAttribute('href', 'tel:116117');
  await page.getByRole('button', { name: 'Delete contact: Crisis line' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('link', { name: /Crisis line/ })).toHaveCount(0);
  await expect(page.getByText('No contacts yet.')).toBeVisible();
});

test('the printed service plan shows zones, text and phone numbers, and no buttons', async ({
  openPerson,
}) => {
  const page = await newPlan(await openPerson('ada'));
  await page.getByRole('textbox', { name: 'Triggers' }).click();
  await page.keyboard.type('Loud parties');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Name').fill('Bo Berg');
  await page.getByLabel('Phone').fill('22 33 44 55');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Next review').fill('2030-01-01');

  await page.emulateMedia({ media: 'print' });
  for (const name of ['Green zone', 'Yellow zone', 'Red zone', 'Contacts']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('textbox', { name: 'Triggers' })).toHaveText('Loud parties');
  await expect(page.getByText('22 33 44 55')).toBeVisible();
  await expect(page.getByText('1 January 2030')).toBeVisible();
  await expect(page.locator('.service-plan button:visible')).toHaveCount(0);
  await expect(page.locator('.service-plan input:visible, .service-plan select:visible')).toHaveCount(0);
});

test('text on every extension page is readable without zoom: body text 16px or more, nothing under 14px', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await newPlan(ada);
  await page.getByRole('button', { name: 'Goal board' }).click();
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Walk every day');
  await page.getByRole('button', { name: 'Add goal' }).click();
  await page.getByRole('textbox', { name: 'Sub-goal', exact: true }).fill('Start small');
  await page.getByRole('button', { name: 'Add sub-goal' }).click();
  await page.getByRole('textbox', { name: 'Step', exact: true }).fill('Walk to the shop');
  await page.getByRole('button', { name: 'Add step' }).click();
  // Chrome gives extension pages `body { font-size: 75% }`; the app must set its own.
  const measure = (p: typeof page) =>
    p.evaluate(() => {
      const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
      const shown = [...document.querySelectorAll('body *')].filter(
        (el) =>
          (el as HTMLElement).offsetParent !== null &&
          [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
      );
      const smallest = shown.reduce<{ px: number; text: string }>(
        (min, el) => (px(el) < min.px ? { px: px(el), text: el.textContent!.trim().slice(0, 40) } : min),
        { px: Infinity, text: '' },
      );
      return { body: px(document.body), label: px(document.querySelector('label')), smallest };
    });
  const app = await measure(page);
  expect(app.body).toBe(18);
  expect(app.label).toBeGreaterThanOrEqual(16);
  expect(app.smallest.px, app.smallest.text).toBeGreaterThanOrEqual(14);
  for (const path of ['popup.html', 'sidepanel.html']) {
    const other = await ada.openPage(path);
    await expect(other.getByRole('heading', { level: 1 }).first()).toBeVisible();
    const sizes = await measure(other);
    expect(sizes.body, path).toBeGreaterThanOrEqual(16);
    expect(sizes.smallest.px, `${path}: ${sizes.smallest.text}`).toBeGreaterThanOrEqual(14);
    await other.close();
  }
});

for (const [locale, lang] of LANGUAGES) {
  test(`moving a contact says who moved and where, in ${lang}`, async ({ openPerson }) => {
    const t = messages(lang);
    const person = await openPerson('ada', { locale });
    const page = await person.openPage('app.html');
    await page.getByRole('textbox', { name: t('app.planName') }).fill('Ada');
    await page.getByRole('button', { name: t('app.newPlan') }).click();
    await page.getByRole('button', { name: t('plan.title'), exact: true }).click();
    for (const [name, phone] of [
      ['Bo Berg', '+47 22 33 44 55'],
      ['Siv Dahl', '+47 912 34 567'],
    ] as const) {
      await page.getByRole('button', { name: t('plan.addContact') }).click();
      await page.getByRole('textbox', { name: t('plan.name'), exact: true }).fill(name);
      await page.getByRole('textbox', { name: t('plan.phone'), exact: true }).fill(phone);
      await page.getByRole('button', { name: t('plan.addContact') }).click();
      await expect(page.getByRole('link', { name: new RegExp(name) })).toBeVisible();
    }
    await page.getByRole('button', { name: t('plan.arrange') }).click();
    const up = page.getByRole('button', { name: t('plan.moveUpNamed', { name: 'Siv Dahl' }), exact: true });
    await up.click();
    await expect(up).toBeFocused();
    await expect(page.locator('[aria-live="polite"]').filter({ hasText: 'Siv Dahl' })).toHaveText(
      t('plan.movedNamed', { name: 'Siv Dahl', position: '1', count: '2' }),
    );
    const calls = await page
      .getByRole('link', { name: /Bo Berg|Siv Dahl/ })
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(calls).toEqual(['tel:+4791234567', 'tel:+4722334455']);
  });
}
