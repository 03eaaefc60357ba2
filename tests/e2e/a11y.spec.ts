import { violations } from './axe';
import { test, expect } from './fixtures';
import { LANGUAGES, messages } from './messages';

/**
 * axe-core over every view and its open states, in every language: zero violations of any
 * impact (README: "Accessible and translated"). Labels are read from locales/ so each
 * language is driven by its own words, as a person would.
 */

for (const [locale, lang] of LANGUAGES) {
  test(`axe finds no violations on any view or open state (${lang})`, async ({ openPerson }) => {
    test.setTimeout(120_000);
    const t = messages(lang);
    const ada = await openPerson('ada', { locale });
    const page = await ada.openPage('app.html');
    const found: string[] = [];
    found.push(...(await violations(page, 'welcome')));
    // Both other ways in, opened.
    await page.getByText(t('app.welcomeInvited')).click();
    await page.getByText(t('app.welcomeHaveFile')).click();
    await expect(page.getByRole('heading', { name: t('sharing.joinTitle') })).toBeVisible();
    found.push(...(await violations(page, 'welcome with joining and importing opened')));
    const firstRun = await ada.openPage('popup.html');
    await expect(firstRun.getByRole('heading').first()).toBeVisible();
    found.push(...(await violations(firstRun, 'the crisis card before any plan')));
    await firstRun.close();

    await page.getByRole('textbox', { name: t('app.planName') }).fill('Ada');
    await page.getByRole('button', { name: t('app.newPlan') }).click();
    found.push(...(await violations(page, 'empty goal board')));
    const emptyCard = await ada.openPage('popup.html');
    await expect(emptyCard.getByRole('link').first()).toHaveAttribute('href', /^tel:/);
    found.push(...(await violations(emptyCard, 'the crisis card of a plan with no contacts')));
    await emptyCard.close();
    await page.getByRole('button', { name: t('app.whenHard') }).click();
    await expect(page.getByRole('heading', { name: t('app.whenHard'), level: 1 })).toBeVisible();
    found.push(...(await violations(page, '"When it is hard" with no contacts')));
    await page.getByRole('button', { name: t('goals.title') }).click();
    await page.getByRole('textbox', { name: t('goals.goal'), exact: true }).fill('Walk every day');
    await page.getByRole('button', { name: t('goals.addGoal') }).click();
    await page.getByRole('textbox', { name: t('goals.subGoal'), exact: true }).fill('Start small');
    await page.getByRole('button', { name: t('goals.addSubGoal') }).click();
    await page.getByRole('textbox', { name: t('goals.step'), exact: true }).fill('Walk to the shop');
    await page.getByRole('button', { name: t('goals.addStep') }).click();
    await expect(page.getByRole('checkbox', { name: 'Walk to the shop' })).toBeVisible();
    found.push(...(await violations(page, 'goal board with a goal, sub-goal and step')));
    await page
      .getByRole('button', { name: t('goals.editStepNamed').replace('{text}', 'Walk to the shop') })
      .click();
    found.push(...(await violations(page, 'a step opened for editing')));
    await page
      .getByRole('button', { name: t('goals.deleteStepNamed').replace('{text}', 'Walk to the shop') })
      .click();
    await expect(page.getByRole('button', { name: t('app.keepIt') })).toBeFocused();
    found.push(...(await violations(page, 'deleting a step, asked first')));
    await page.getByRole('button', { name: t('app.keepIt') }).click();
    await page
      .getByRole('button', { name: t('goals.doneEditingNamed').replace('{title}', 'Walk to the shop') })
      .click();
    await page.getByRole('button', { name: t('goals.addReview') }).click();
    found.push(...(await violations(page, 'the review form open')));
    await page.getByRole('button', { name: t('goals.cancel') }).click();
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
    await side.setViewportSize({ width: 360, height: 740 });
    await side.getByRole('button', { name: t('app.whenHard') }).click();
    await expect(side.getByRole('link', { name: /Bo Berg/ })).toBeVisible();
    found.push(...(await violations(side, '"When it is hard" in a 360 px side panel')));

    expect(found).toEqual([]);
  });
}
