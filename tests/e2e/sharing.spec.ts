import type { Locator, Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { violations } from './axe';
import { LANGUAGES, messages } from './messages';
import { chooseServer, test, expect, type Person, type TestSyncServer } from './server';

/**
 * Issue 3's browser tests: three people, each with their own Chromium profile and the built
 * extension, share one plan through a real sync server (tests/e2e/server.ts).
 */

const SIGNS = 'Early warning signs';

/** A fresh profile: make the plan "Kari" and add one goal. */
async function newPlanWithGoal(person: Person, goal: string): Promise<Page> {
  const page = await person.openPage('app.html');
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Kari');
  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill(goal);
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByRole('article', { name: goal })).toBeVisible();
  return page;
}

const sharingDialog = (page: Page) => page.getByRole('dialog', { name: 'Sharing' });

/** The owner registers the plan on the server from the "Sharing" dialog. */
async function share(page: Page, server: TestSyncServer, name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Sharing' }).click();
  const dialog = sharingDialog(page);
  // No address to type: the build's own server is named, another is folded away.
  await expect(dialog.getByText('Your plan will be kept in sync through localhost:1234.')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Server address' })).toBeHidden();
  await chooseServer(dialog, server);
  await expect(dialog.getByText(`kept in sync through ${server.url.replace('http://', '')}.`)).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Your name' }).fill(name);
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await expect(dialog.getByRole('heading', { name: 'Invite someone' })).toBeVisible();
  return dialog;
}

/** Creates an invite in the open Sharing dialog and reads its link from the page. */
async function invite(dialog: Locator, choice: string): Promise<string> {
  await dialog.getByRole('radio', { name: choice }).check();
  await dialog.getByRole('button', { name: 'Create invite' }).click();
  const link = dialog.getByRole('textbox', { name: 'Invite link' });
  await expect(link).toHaveValue(/\/join#/);
  await expect(dialog.getByRole('textbox', { name: 'Invite code' })).not.toHaveValue('');
  await expect(dialog.getByText('privately')).toBeVisible();
  // A phone can take the link with its camera; the code reads in groups of four.
  await expect(dialog.getByRole('img', { name: /QR code of the invite link/ })).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Invite code' })).toHaveValue(/^(\S{4} )+\S{1,4}$/);
  return link.inputValue();
}

/** A fresh profile joins with the link from the Welcome screen. */
async function join(person: Person, link: string, name: string): Promise<Page> {
  const page = await person.openPage('app.html');
  await page.getByText('Someone invited me to their plan').click();
  await page.getByRole('textbox', { name: 'Invite link or code' }).fill(link);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Join plan' }).click();
  await expect(page.getByRole('button', { name: 'Service plan' })).toBeVisible();
  return page;
}

async function openServicePlan(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Service plan' }).click();
  const editor = page.getByRole('textbox', { name: SIGNS });
  await expect(editor).toBeVisible();
  return editor;
}

/**
 * What a rich-text field says, paragraph by paragraph, without other people's caret labels
 * (they sit inside the editable element).
 */
function editorText(editor: Locator): Promise<string> {
  return editor.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return [...copy.querySelectorAll('p')].map((p) => p.textContent ?? '').join('\n');
  });
}

/** Types at the very end of a rich-text field. */
async function typeAtEnd(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

const status = (page: Page) => page.locator('.sync-status');

test('a participant shares the plan; a relative and a therapist join, co-edit live, edit offline and converge', async ({
  openPerson,
  server,
}) => {
  test.setTimeout(240_000);
  const goal = 'Walk to the shop';
  const kari = await openPerson('kari');
  const kariPage = await newPlanWithGoal(kari, goal);
  await expect(status(kariPage)).toHaveText('Saved on this device');

  const dialog = await share(kariPage, server, 'Kari');
  // Before inviting, the dialog says in a sentence per part what the person will be able to do,
  // and tells a relative and a therapist apart by who they are.
  await dialog.getByRole('radio', { name: 'Relative' }).check();
  const can = dialog.getByRole('group', { name: 'What they will be able to do' });
  await expect(can).toContainText('comment on them, but not change them');
  await expect(can).toContainText('They can read and change your service plan.');
  await expect(dialog.getByText('Someone close to you: family, or a friend who supports you.')).toBeVisible();
  await expect(
    dialog.getByText('Your therapist, or someone else at the clinic who works with you.'),
  ).toBeVisible();
  await dialog.getByRole('radio', { name: 'Network (read-only)' }).check();
  await expect(can).toContainText('They will not see your goal board.');
  await expect(can).toContainText('They can read your service plan.');
  const relativeLink = await invite(dialog, 'Relative');
  const therapistLink = await invite(dialog, 'Therapist');
  expect(therapistLink).not.toBe(relativeLink);
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Kari' })).toContainText('the owner');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(status(kariPage)).toHaveText(/^Synced at \d/);
  const kariSigns = await openServicePlan(kariPage);

  // The relative joins and writes in "Early warning signs"; Kari sees it live, with Ola's caret.
  const ola = await openPerson('ola');
  const olaPage = await join(ola, relativeLink, 'Ola');
  // The joined plan is named after its owner, not after a server.
  const olaCard = await ola.openPage('popup.html');
  await expect(olaCard.getByRole('heading', { name: 'Kari’s plan', level: 1 })).toBeVisible();
  await olaCard.close();
  const olaSigns = await openServicePlan(olaPage);
  await expect(olaSigns).not.toHaveAttribute('aria-readonly', 'true');
  await expect(olaPage.getByRole('region', { name: 'Here now' })).toContainText('Ola (you)');
  await typeAtEnd(olaPage, olaSigns, 'Sleeping badly');
  await expect.poll(() => editorText(kariSigns)).toBe('Sleeping badly');
  await expect(kariSigns.locator('.collaboration-carets__label')).toHaveText('Ola');
  const here = kariPage.getByRole('region', { name: 'Here now' });
  await expect(here).toContainText('Kari (you)');
  await expect(here).toContainText('Ola · Relative');

  // The therapist may comment on a goal but not change it.
  const tone = await openPerson('tone');
  const tonePage = await join(tone, therapistLink, 'Tone');
  await tonePage.getByRole('button', { name: 'Goal board' }).click();
  const toneGoal = tonePage.getByRole('article', { name: goal });
  await expect(toneGoal).toBeVisible();
  await expect(tonePage.getByText('Only the participant can change the goals.')).toBeVisible();
  // The card reads first; "Show all" (not "Edit") opens its details and every part's notes.
  await expect(toneGoal.getByRole('button', { name: `Edit goal: ${goal}` })).toHaveCount(0);
  await toneGoal.getByRole('button', { name: `Show all of: ${goal}` }).click();
  await expect(toneGoal.getByRole('textbox', { name: 'Goal title' })).toHaveCount(0);
  await expect(toneGoal.getByText('Goal title')).toBeVisible();
  await expect(tonePage.getByRole('button', { name: 'Add goal' })).toHaveCount(0);
  await toneGoal.getByRole('button', { name: 'Comment', exact: true }).click();
  await toneGoal.getByRole('textbox', { name: 'Comment', exact: true }).fill('Shall we try Tuesday?');
  await toneGoal.getByRole('button', { name: 'Save comment' }).click();
  await expect(toneGoal.getByText('Shall we try Tuesday?')).toBeVisible();
  await kariPage.getByRole('button', { name: 'Goal board' }).click();
  const kariGoal = kariPage.getByRole('article', { name: goal });
  await kariGoal.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(kariGoal.getByText('Shall we try Tuesday?')).toBeVisible();
  // The participant, unlike the therapist, may edit it.
  await kariGoal.getByRole('button', { name: `Edit goal: ${goal}` }).click();
  await expect(kariGoal.getByRole('textbox', { name: 'Goal title' })).toHaveValue(goal);

  // The server goes away: Kari and Ola both keep writing, each on their own device.
  await openServicePlan(kariPage);
  const toneSigns = await openServicePlan(tonePage);
  await expect.poll(() => editorText(toneSigns)).toBe('Sleeping badly');
  await server.stop();
  await expect(status(kariPage)).toContainText('Offline');
  await expect(status(olaPage)).toContainText('Offline');
  await typeAtEnd(kariPage, kariSigns, ', skipping meals');
  await typeAtEnd(olaPage, olaSigns, ', not answering the phone');
  await expect(status(kariPage)).toContainText('waiting (saved on this device)');
  await expect(status(olaPage)).toContainText('waiting (saved on this device)');
  expect(await editorText(toneSigns)).toBe('Sleeping badly');

  // It comes back: all three converge on one text that keeps both people's words.
  await server.start();
  for (const page of [kariPage, olaPage, tonePage]) {
    await expect(status(page)).toHaveText(/^Synced at \d/, { timeout: 30_000 });
  }
  await expect
    .poll(async () => new Set(await Promise.all([kariSigns, olaSigns, toneSigns].map(editorText))).size, {
      timeout: 30_000,
    })
    .toBe(1);
  const merged = await editorText(kariSigns);
  expect(merged).toContain('Sleeping badly');
  expect(merged).toContain(', skipping meals');
  expect(merged).toContain(', not answering the phone');
});

test('a network member sees the service plan read-only and not the goal board', async ({
  openPerson,
  server,
}) => {
  test.setTimeout(120_000);
  const kari = await openPerson('kari');
  const kariPage = await newPlanWithGoal(kari, 'Walk to the shop');
  const kariSigns = await openServicePlan(kariPage);
  await typeAtEnd(kariPage, kariSigns, 'Sleeping badly');
  const dialog = await share(kariPage, server, 'Kari');
  const link = await invite(dialog, 'Network (read-only)');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const nina = await openPerson('nina');
  const page = await join(nina, link, 'Nina');
  await expect(page.getByRole('heading', { name: 'Service plan', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Goal board' })).toHaveCount(0);
  await expect(page.getByText('The goal board is not shared with you.')).toBeVisible();
  await expect(page.getByText('Walk to the shop')).toHaveCount(0);

  const signs = page.getByRole('textbox', { name: SIGNS });
  await expect.poll(() => editorText(signs)).toBe('Sleeping badly');
  await expect(signs).toHaveAttribute('aria-readonly', 'true');
  await expect(signs).toHaveAttribute('contenteditable', 'false');
  await expect(page.getByText('You can read the service plan.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add section' })).toHaveCount(0);
  // Reading notes is allowed; writing them needs "comment".
  await expect(page.getByRole('textbox', { name: 'Comment', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sharing' }).click();
  await expect(sharingDialog(page)).toContainText('Service plan: Can read');
  await expect(sharingDialog(page).getByRole('button', { name: 'Create invite' })).toHaveCount(0);
});

test('the owner lowers a member’s access and then removes them; the member’s screen follows each change', async ({
  openPerson,
  server,
}) => {
  test.setTimeout(120_000);
  const kari = await openPerson('kari');
  const kariPage = await newPlanWithGoal(kari, 'Walk to the shop');
  const dialog = await share(kariPage, server, 'Kari');
  const link = await invite(dialog, 'Relative');

  const ola = await openPerson('ola');
  const olaPage = await join(ola, link, 'Ola');
  await expect(olaPage.getByRole('article', { name: 'Walk to the shop' })).toBeVisible();

  // The same invite a second time, from "Join a plan" beside the plan switcher: used up.
  await olaPage.getByRole('button', { name: 'Join a plan' }).click();
  const joinDialog = olaPage.getByRole('dialog', { name: 'Join a plan' });
  await joinDialog.getByRole('textbox', { name: 'Invite link or code' }).fill(link);
  await joinDialog.getByRole('textbox', { name: 'Your name' }).fill('Ola');
  await joinDialog.getByRole('button', { name: 'Join plan' }).click();
  await expect(joinDialog.getByRole('alert')).toHaveText(
    'This invite has already been used. Ask the person who invited you for a new one.',
  );
  await joinDialog.getByRole('button', { name: 'Close' }).click();

  // Kari takes the goal board away from Ola: Ola's goal board tab goes, with a word why.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await kariPage.getByRole('button', { name: 'Sharing' }).click();
  const ola1 = dialog.getByRole('listitem', { name: 'Ola' });
  await expect(ola1.getByRole('combobox', { name: 'Goal board access for Ola' })).toHaveValue('comment');
  await ola1.getByRole('combobox', { name: 'Goal board access for Ola' }).selectOption('none');
  await expect(ola1.getByRole('combobox', { name: 'Goal board access for Ola' })).toHaveValue('none');
  await expect(olaPage.getByRole('button', { name: 'Goal board' })).toHaveCount(0);
  await expect(olaPage.getByText('The goal board is not shared with you.')).toBeVisible();
  await expect(olaPage.getByRole('textbox', { name: SIGNS })).not.toHaveAttribute('aria-readonly', 'true');

  // Removing asks first; "No, keep" keeps Ola, "Yes, remove" removes.
  await ola1.getByRole('button', { name: 'Remove Ola' }).click();
  await ola1.getByRole('button', { name: 'No, keep' }).click();
  await expect(ola1).toBeVisible();
  await ola1.getByRole('button', { name: 'Remove Ola' }).click();
  await ola1.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(dialog.getByRole('listitem', { name: 'Ola' })).toHaveCount(0);
  await expect(status(olaPage)).toHaveText(
    'You were removed from this plan. Your copy stays on this device.',
  );
});

test('a server that takes plans with a registration code asks for one, in plain words, and takes it', async ({
  openPerson,
  server,
}) => {
  // The operator's server asks for codes; the operator makes one with the documented command.
  await server.stop();
  await server.start({ registration: 'code' });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'sync-server/registration-code.ts', 'create', '--data-dir', server.dataDir],
    { cwd: path.join(import.meta.dirname, '../..') },
  );
  const code = /\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\b/.exec(stdout)![1]!;

  const kari = await openPerson('kari');
  const page = await newPlanWithGoal(kari, 'Walk to the shop');
  await page.getByRole('button', { name: 'Sharing' }).click();
  const dialog = sharingDialog(page);
  await expect(dialog.getByRole('textbox', { name: 'Registration code' })).toHaveCount(0);
  await chooseServer(dialog, server);
  await dialog.getByRole('textbox', { name: 'Your name' }).fill('Kari');
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await expect(dialog.getByRole('alert')).toContainText('needs a registration code');
  // A mistyped code says so; the right one, typed in small letters, shares the plan.
  await dialog.getByRole('textbox', { name: 'Registration code' }).fill('ABCDE-FGHJK');
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await expect(dialog.getByRole('alert')).toContainText('did not work');
  await dialog.getByRole('textbox', { name: 'Registration code' }).fill(code.toLowerCase());
  // A corrected field takes the old message away: it no longer says what is on screen.
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await expect(dialog.getByRole('heading', { name: 'Invite someone' })).toBeVisible();
});

test("a clinic's own numbers, set by its server's operator, are on the shared plan's crisis card above the country's, also offline", async ({
  openPerson,
  server,
}) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'varde-helplines-'));
  const file = path.join(dir, 'help-lines.json');
  await writeFile(
    file,
    JSON.stringify([{ name: 'Solbakken DPS, akutteam', phone: '+47 22 00 00 00', what: 'Weekdays 8–22.' }]),
  );
  await server.stop();
  await server.start({ helpLinesFile: file });
  try {
    const kari = await openPerson('kari');
    const app = await newPlanWithGoal(kari, 'Walk every day');
    await share(app, server, 'Kari');
    const card = await kari.openPage('popup.html');
    const clinic = card.getByRole('list', { name: 'From your clinic' });
    await expect(clinic.getByRole('link', { name: /Solbakken DPS, akutteam/ })).toHaveAttribute(
      'href',
      'tel:+4722000000',
    );
    // Above the country's numbers, not instead of them.
    const always = card.getByRole('list', { name: 'Always there' });
    await expect(always.getByRole('link')).toHaveCount(1);
    const [clinicBox, alwaysBox] = [await clinic.boundingBox(), await always.boundingBox()];
    expect(clinicBox!.y).toBeLessThan(alwaysBox!.y);
    // The server gone: the card still has the clinic's number.
    await server.stop();
    await card.reload();
    await expect(card.getByRole('list', { name: 'From your clinic' }).getByRole('link')).toHaveAttribute(
      'href',
      'tel:+4722000000',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sharing and joining with nothing technical typed: the build’s own server, a name each, and the code as read out', async ({
  openPerson,
  server,
}) => {
  // The build's default server (VARDE_DEFAULT_SERVER, localhost:1234 in development).
  await server.stop();
  await server.start({ port: 1234 });
  const kari = await openPerson('kari');
  const page = await newPlanWithGoal(kari, 'Walk to the shop');
  await page.getByRole('button', { name: 'Sharing' }).click();
  const dialog = sharingDialog(page);
  await dialog.getByRole('textbox', { name: 'Your name' }).fill('Kari');
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await expect(dialog.getByRole('heading', { name: 'Invite someone' })).toBeVisible();
  await dialog.getByRole('radio', { name: 'Relative' }).check();
  await dialog.getByRole('button', { name: 'Create invite' }).click();
  const code = await dialog.getByRole('textbox', { name: 'Invite code' }).inputValue();
  expect(code).toMatch(/^(\S{4} )+\S{1,4}$/);

  // Ola types the code in its groups, as Kari read it out, and their name: nothing else.
  const ola = await openPerson('ola');
  const olaPage = await ola.openPage('app.html');
  await olaPage.getByText('Someone invited me to their plan').click();
  await olaPage.getByRole('textbox', { name: 'Invite link or code' }).fill(code);
  await olaPage.getByRole('textbox', { name: 'Your name' }).fill('Ola');
  await olaPage.getByRole('button', { name: 'Join plan' }).click();
  await expect(olaPage.getByRole('article', { name: 'Walk to the shop' })).toBeVisible();
});

for (const [locale, lang] of LANGUAGES) {
  test(`sharing in plain words (${lang}): no address, a sentence per part, presets told apart, a code read out, the joined plan named after its owner`, async ({
    openPerson,
    server,
  }) => {
    const t = messages(lang);
    await server.stop();
    await server.start({ port: 1234 }); // the build's default server
    const owner = await openPerson('kari', { locale });
    const page = await owner.openPage('app.html');
    await page.getByRole('textbox', { name: t('app.planName') }).fill('Kari');
    await page.getByRole('button', { name: t('app.newPlan') }).click();
    await page.getByRole('button', { name: t('sharing.sharing') }).click();
    const dialog = page.getByRole('dialog', { name: t('sharing.sharing') });
    await expect(dialog.getByText(t('sharing.sharedThrough', { server: 'localhost:1234' }))).toBeVisible();
    await dialog.getByRole('textbox', { name: t('sharing.yourName') }).fill('Kari');
    await dialog.getByRole('button', { name: t('sharing.sharePlan') }).click();
    await expect(dialog.getByRole('heading', { name: t('sharing.inviteTitle') })).toBeVisible();
    await dialog.getByRole('radio', { name: t('sharing.choice.relative') }).check();
    const can = dialog.getByRole('group', { name: t('sharing.willBeAble') });
    await expect(can).toContainText(t('sharing.canGoals.comment'));
    await expect(can).toContainText(t('sharing.canPlan.edit'));
    await expect(dialog.getByText(t('sharing.meaning.relative'))).toBeVisible();
    await expect(dialog.getByText(t('sharing.meaning.therapist'))).toBeVisible();
    await dialog.getByRole('button', { name: t('sharing.createInvite') }).click();
    const codeField = dialog.getByRole('textbox', { name: t('sharing.inviteCode') });
    await expect(codeField).toHaveValue(/^(\S{4} )+\S{1,4}$/);
    await expect(dialog.getByRole('img', { name: t('sharing.inviteQr') })).toBeVisible();
    const found = await violations(page, 'the invite screen with its QR code');
    const code = await codeField.inputValue();
    await dialog.getByRole('button', { name: t('sharing.close') }).click();

    // The relative types the code as it was read out, and a name: nothing else.
    const relative = await openPerson('ola', { locale });
    const joining = await relative.openPage('app.html');
    await joining.getByText(t('app.welcomeInvited')).click();
    await joining.getByRole('textbox', { name: t('sharing.inviteField') }).fill(code);
    await joining.getByRole('textbox', { name: t('sharing.yourName') }).fill('Ola');
    await joining.getByRole('button', { name: t('sharing.joinPlan') }).click();
    await expect(joining.getByRole('heading', { name: t('goals.title'), level: 1 })).toBeVisible();
    const card = await relative.openPage('popup.html');
    await expect(
      card.getByRole('heading', { name: t('sharing.planOf', { name: 'Kari' }), level: 1 }),
    ).toBeVisible();

    // The owner's list of members now holds both, and reads well to a screen reader too.
    await page.getByRole('button', { name: t('sharing.sharing') }).click();
    await expect(dialog.getByRole('listitem').filter({ hasText: 'Ola' })).toBeVisible();
    found.push(...(await violations(page, 'the members list')));
    expect(found).toEqual([]);
  });
}
