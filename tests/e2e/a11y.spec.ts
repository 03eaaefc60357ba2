import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';

/**
 * axe-core over every view and its open states, in every language: zero violations of any
 * impact (README: "Accessible and translated"). Labels are read from locales/ so each
 * language is driven by its own words, as a person would.
 */

const LOCALES_DIR = path.join(import.meta.dirname, '../../locales');

/** `ns.key` → text, for one language. */
function messages(lang: string): (key: string) => string {
  const all: Record<string, string> = {};
  for (const file of readdirSync(path.join(LOCALES_DIR, lang))) {
    const ns = file.replace(/\.json$/, '');
    const json = JSON.parse(readFileSync(path.join(LOCALES_DIR, lang, file), 'utf8')) as Record<
      string,
      string
    >;
    for (const [k, v] of Object.entries(json)) all[`${ns}.${k}`] = v;
  }
  return (key) => {
    const text = all[key];
    if (text === undefined) throw new Error(`no ${key} in ${lang}`);
    return text;
  };
}

async function violations(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) =>
      `${state}: ${v.id} (${v.impact}) at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
}

for (const [locale, lang] of [
  ['en-GB', 'en'],
  ['nb-NO', 'nb'],
  ['sv-SE', 'sv'],
] as const) {
  test(`axe finds no violations on any view or open state (${lang})`, async ({ openPerson }) => {
    test.setTimeout(120_000);
    const t = messages(lang);
    const ada = await openPerson('ada', { locale });
    const page = await ada.openPage('app.html');
    const found: string[] = [];
    found.push(...(await violations(page, 'welcome')));

    await page.getByRole('textbox', { name: t('app.planName') }).fill('Ada');
    await page.getByRole('button', { name: t('app.newPlan') }).click();
    found.push(...(await violations(page, 'empty goal board')));
    await page.getByRole('textbox', { name: t('goals.goal'), exact: true }).fill('Walk every day');
    await page.getByRole('button', { name: t('goals.addGoal') }).click();
    await page.getByRole('textbox', { name: t('goals.subGoal'), exact: true }).fill('Start small');
    await page.getByRole('button', { name: t('goals.addSubGoal') }).click();
    await page.getByRole('textbox', { name: t('goals.step'), exact: true }).fill('Walk to the shop');
    await page.getByRole('button', { name: t('goals.addStep') }).click();
    await expect(page.getByRole('checkbox', { name: 'Walk to the shop' })).toBeVisible();
    found.push(...(await violations(page, 'goal board with a goal, sub-goal and step')));
    await page
      .getByRole('button', { name: t('goals.doneEditingNamed').replace('{title}', 'Walk every day') })
      .click();
    await expect(
      page.getByRole('button', { name: t('goals.editGoalNamed').replace('{title}', 'Walk every day') }),
    ).toBeFocused();
    found.push(...(await violations(page, 'a goal that reads first')));
    await page
      .getByRole('button', { name: t('goals.editGoalNamed').replace('{title}', 'Walk every day') })
      .click();
    await page.getByRole('button', { name: t('goals.arrange') }).click();
    await expect(page.getByRole('button', { name: t('goals.arrange') })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    found.push(...(await violations(page, 'changing the order of goals, sub-goals and steps')));
    await page.getByRole('button', { name: t('goals.arrange') }).click();
    await page
      .getByRole('button', { name: t('notes.comment') })
      .first()
      .click();
    found.push(...(await violations(page, 'a note thread open')));

    await page.getByRole('button', { name: t('app.servicePlan') }).click();
    found.push(...(await violations(page, 'service plan')));
    await page.getByRole('button', { name: t('plan.addContact') }).click();
    found.push(...(await violations(page, 'the contact form open')));
    await page.getByRole('textbox', { name: t('plan.name'), exact: true }).fill('Bo Berg');
    await page.getByRole('textbox', { name: t('plan.phone'), exact: true }).fill('12 34 56 78');
    await page.getByRole('button', { name: t('plan.addContact') }).click();
    found.push(...(await violations(page, 'service plan with a contact')));
    await page.getByRole('textbox', { name: t('plan.section.triggers.title') }).click();
    found.push(...(await violations(page, 'an empty section opened for writing')));
    await page.getByRole('button', { name: t('plan.arrange') }).click();
    await expect(page.getByRole('button', { name: t('plan.arrange') })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    found.push(...(await violations(page, 'changing the order of sections and contacts')));
    await page.getByRole('button', { name: t('plan.arrange') }).click();

    await page.getByRole('button', { name: t('sharing.sharing') }).click();
    const sharing = page.getByRole('dialog', { name: t('sharing.sharing') });
    await expect(sharing).toBeVisible();
    found.push(...(await violations(page, 'the sharing dialog')));
    await sharing.getByRole('button', { name: t('sharing.sharePlan') }).click();
    await expect(sharing.getByRole('alert')).toBeVisible();
    found.push(...(await violations(page, 'the sharing dialog with a problem')));
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: t('sharing.joinTitle') }).click();
    await expect(page.getByRole('dialog', { name: t('sharing.joinTitle') })).toBeVisible();
    found.push(...(await violations(page, 'the join dialog')));
    await page.keyboard.press('Escape');

    // Import: a file that is not a plan is explained, and nothing changes.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: t('exchange.import') }).click(),
    ]);
    await chooser.setFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello":1}'),
    });
    await expect(page.getByRole('alert')).toContainText(t('exchange.error.notVardeFile'));
    found.push(...(await violations(page, 'an import file refused')));

    const card = await ada.openPage('popup.html');
    await expect(card.getByRole('link', { name: /Bo Berg/ })).toBeVisible();
    found.push(...(await violations(card, 'the crisis card')));
    const side = await ada.openPage('sidepanel.html');
    await expect(side.getByRole('heading', { level: 1 }).first()).toBeVisible();
    found.push(...(await violations(side, 'the side panel')));

    expect(found).toEqual([]);
  });
}
