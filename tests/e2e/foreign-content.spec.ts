import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SYNC_PATH_PREFIX, syncProtocols } from '../../core/access/index.ts';
import { readServicePlan, richTextVocabulary } from '../../core/model/index.ts';
import { SyncApi, parseInvite, wsBaseOf } from '../../core/sync/api.ts';
import { chooseServer, test, expect } from './server';

/**
 * The Tiptap–Yjs binding deletes from the shared doc any element its schema does not know, as
 * soon as it renders the field. Another program (or a hostile member) that writes such an
 * element into a section someone has open must not have it deleted by merely being looked at.
 */
test('an element written by another program into an open section is shown as text and never deleted', async ({
  openPerson,
  server,
}) => {
  const kari = await openPerson('kari');
  const page = await kari.openPage('app.html');
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Kari');
  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByRole('button', { name: 'Sharing' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sharing' });
  await chooseServer(dialog, server);
  await dialog.getByRole('textbox', { name: 'Your name' }).fill('Kari');
  await dialog.getByRole('button', { name: 'Share plan' }).click();
  await dialog.getByRole('radio', { name: 'Relative' }).check();
  await dialog.getByRole('button', { name: 'Create invite' }).click();
  const link = await dialog.getByRole('textbox', { name: 'Invite link' }).inputValue();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Service plan' }).click();
  const signs = page.getByRole('textbox', { name: 'Early warning signs' });
  await signs.click();
  await page.keyboard.type('I sleep badly');

  // The other program: a relative's membership used from Node with the plain y-websocket client.
  const { code } = parseInvite(link);
  const api = new SyncApi(server.url, fetch);
  const member = await api.redeem(code, 'Other program');
  const { token } = await api.token(member.planId, member.memberSecret);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${wsBaseOf(server.url)}${SYNC_PATH_PREFIX}${member.planId}`,
    'plan',
    doc,
    {
      WebSocketPolyfill: WebSocket as never,
      protocols: syncProtocols(token),
      disableBc: true,
    },
  );
  try {
    await expect.poll(() => provider.synced).toBe(true);
    const section = () => readServicePlan(doc).sections.find((s) => s.kind === 'warningSigns')!;
    await expect.poll(() => section().body?.toString() ?? '').toContain('I sleep badly');
    doc.transact(() => {
      const foreign = new Y.XmlElement('script');
      foreign.insert(0, [new Y.XmlText('Written by another program')]);
      section().body!.insert(section().body!.length, [foreign]);
    });

    await expect(page.getByText('Part of this text was written by another program')).toBeVisible();
    await expect(signs).toHaveAttribute('aria-readonly', 'true');
    await expect(signs).toContainText('Written by another program');
    await expect(signs).toContainText('I sleep badly');
    // Give any deletion time to travel back, then check the element is still everywhere.
    await page.waitForTimeout(1500);
    expect(richTextVocabulary(section().body!).nodes.has('script')).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Service plan' }).click();
    await expect(signs).toContainText('Written by another program');
    expect(richTextVocabulary(section().body!).nodes.has('script')).toBe(true);
  } finally {
    provider.destroy();
    doc.destroy();
  }
});
