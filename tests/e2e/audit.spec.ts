import type { Locator, Page } from '@playwright/test';
import { chooseServer, test, expect, type Person, type TestSyncServer } from './server';

/**
 * Issue 4: the owner reads their plan's activity log (the server's audit log) in the Sharing
 * dialog. Who, which part, what kind of access, when: never what anyone wrote.
 */

const SIGNS = 'Early warning signs';
const SECRET_WORDS = 'Sleeping badly since Tuesday';

const sharingDialog = (page: Page) => page.getByRole('dialog', { name: 'Sharing' });

async function newSharedPlan(person: Person, server: TestSyncServer): Promise<{ page: Page; link: string }> {
  const page = await person.openPage('app.html');
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Kari');
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('heading', { name: 'Goal board', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Sharing' }).click();
  const dialog = sharingDialog(page);
  await chooseServer(dialog, server);
  await dialog.getByRole('textbox', { name: 'Your name' }).fill('Kari');
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await dialog.getByRole('radio', { name: 'Relative' }).check();
  await dialog.getByRole('button', { name: 'Create invite' }).click();
  const link = dialog.getByRole('textbox', { name: 'Invite link' });
  await expect(link).toHaveValue(/\/join#/);
  const value = await link.inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { page, link: value };
}

/** The table row of one event, matched cell by cell (a part's name is inside another's). */
function eventRow(log: Locator, who: string, part: string, what: string | RegExp): Locator {
  const cell = (name: string | RegExp) =>
    log.page().getByRole('cell', { name, exact: typeof name === 'string' ? true : undefined });
  return log
    .getByRole('row')
    .filter({ has: cell(who) })
    .filter({ has: cell(part) })
    .filter({ has: cell(what) });
}

test('the owner sees in the activity log when a relative connected to and wrote in the plan, and nothing they wrote', async ({
  openPerson,
  server,
}) => {
  test.setTimeout(180_000);
  const kari = await openPerson('kari');
  const { page: kariPage, link } = await newSharedPlan(kari, server);

  const ola = await openPerson('ola');
  const olaPage = await ola.openPage('app.html');
  await olaPage.getByText('Someone invited me to their plan').click();
  await olaPage.getByRole('textbox', { name: 'Invite link or code' }).fill(link);
  await olaPage.getByRole('textbox', { name: 'Your name' }).fill('Ola');
  await olaPage.getByRole('button', { name: 'Join plan' }).click();
  await olaPage.getByRole('button', { name: 'Service plan' }).click();
  const signs = olaPage.getByRole('textbox', { name: SIGNS });
  await signs.click();
  await olaPage.keyboard.type(SECRET_WORDS);
  await expect(olaPage.locator('.sync-status')).toHaveText(/^Synced at \d/);

  // Someone who is not the owner has no activity log.
  await olaPage.getByRole('button', { name: 'Sharing' }).click();
  await expect(sharingDialog(olaPage)).toContainText('Service plan: Can change');
  await expect(sharingDialog(olaPage).getByRole('button', { name: 'Activity log' })).toHaveCount(0);

  // Ola closes the browser: the server writes the counted changes down on disconnect.
  await ola.context.close();

  // Five events a page, so paging is exercised: the request is the extension's own.
  await kariPage.route(/\/api\/plans\/[^/]+\/audit\?/, (route) =>
    route.continue({
      url: route
        .request()
        .url()
        .replace(/limit=\d+/, 'limit=5'),
    }),
  );
  await kariPage.getByRole('button', { name: 'Sharing' }).click();
  const dialog = sharingDialog(kariPage);
  const open = dialog.getByRole('button', { name: 'Activity log' });
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  const log = dialog.getByRole('table', { name: 'Activity in this plan, oldest first' });
  await expect(log.getByRole('columnheader')).toHaveText([
    'When',
    'Who',
    'Part of the plan',
    'What happened',
  ]);
  await expect(log.getByRole('row')).toHaveCount(1 + 5);
  await expect(eventRow(log, 'Kari (you)', 'Sharing and people', 'Shared the plan')).toHaveCount(1);
  await expect(log.locator('time').first()).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);

  const more = dialog.getByRole('button', { name: 'Load more' });
  await more.click();
  await expect(log.getByRole('row')).toHaveCount(1 + 10);
  for (let i = 0; i < 40 && (await more.count()) > 0; i++) {
    const rows = await log.getByRole('row').count();
    await more.click();
    await expect.poll(() => log.getByRole('row').count()).toBeGreaterThanOrEqual(rows);
    await expect(dialog.getByRole('button', { name: 'Loading more …' })).toHaveCount(0);
  }
  await expect(dialog.getByText('That is everything so far.')).toBeVisible();
  await expect(dialog.getByText('That is everything so far.')).toBeFocused();

  await expect(eventRow(log, 'Kari (you)', 'Sharing and people', 'Made an invite')).toHaveCount(1);
  await expect(eventRow(log, 'Ola', 'Sharing and people', 'Joined with an invite')).toHaveCount(1);
  for (const part of [
    'Goal board',
    'Comments on the goal board',
    'Service plan',
    'Comments on the service plan',
  ]) {
    await expect(eventRow(log, 'Ola', part, 'Opened').first()).toBeVisible();
    await expect(eventRow(log, 'Ola', part, 'Read').first()).toBeVisible();
    await expect(eventRow(log, 'Ola', part, 'Closed').first()).toBeVisible();
  }
  await expect(eventRow(log, 'Ola', 'Service plan', /^Made changes \(\d+\)$/).first()).toBeVisible();
  // A relative may not change the goal board: nothing there was written by Ola.
  await expect(eventRow(log, 'Ola', 'Goal board', /^Made changes/)).toHaveCount(0);
  await expect(dialog).not.toContainText(SECRET_WORDS);
  await expect(dialog).not.toContainText('Sleeping');
});
