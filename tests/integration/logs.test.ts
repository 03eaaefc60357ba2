// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { syncProtocols } from '../../core/access/index.ts';
import {
  call,
  connect,
  createInvite,
  rawSocket,
  redeem,
  registerPlan,
  removeDir,
  spawnServer,
  tempDir,
  token,
  waitFor,
  type ChildServer,
  type Client,
} from '../../harness/server.ts';

const dirs: string[] = [];
const children: ChildServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const c of children.splice(0)) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('server logs', () => {
  it('never contain a secret, token, invite code, name or plan content, even at debug level', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const s = await spawnServer({ VARDE_DATA_DIR: dataDir, VARDE_LOG_LEVEL: 'debug' });
    children.push(s);
    const secrets: string[] = [];

    const owner = await registerPlan(s.url, 'Kari Nordmann');
    const code = await createInvite(s.url, owner, 'relative');
    const rel = await redeem(s.url, code, 'Ola Nordmann');
    secrets.push(owner.secret, rel.secret, code);
    const tok = await token(s.url, rel);
    secrets.push(tok.token, tok.token.split('.').pop()!);

    const c = await connect(s, rel, 'plan', { tokenValue: tok.token });
    const o = await connect(s, owner, 'plan');
    clients.push(c, o);
    await Promise.all([c.synced(), o.synced()]);
    c.doc.getText('t').insert(0, 'I stop sleeping before a crisis');
    c.provider.awareness.setLocalStateField('user', { name: 'Spoofed Name' });
    await waitFor(() => o.doc.getText('t').length > 0, { what: 'sync' });

    // Failures log too: a wrong token, a malformed frame, a bad body, a bad secret.
    const wrong = rawSocket(s.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(tok.token + 'x') });
    await wrong.closed;
    const bad = rawSocket(s.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(tok.token) });
    await bad.opened;
    bad.ws.send('I stop sleeping (as text)');
    await bad.closed;
    await call(s.url, 'POST', '/api/invites/redeem', { body: { code, name: 'Ola Nordmann' } });
    await fetch(`${s.url}/api/plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"Kari Nordmann", broken',
    });
    await call(s.url, 'POST', `/api/plans/${owner.planId}/tokens?token=${tok.token}`, {
      secret: 'x'.repeat(43),
    });
    c.destroy();
    o.destroy();
    clients.length = 0;
    await new Promise((r) => setTimeout(r, 200));

    const out = s.output();
    expect(out).toContain('"event":"ws.connected"');
    expect(out).toContain('"reason":"badMessage"');
    for (const secret of secrets) expect(out).not.toContain(secret);
    for (const text of ['sleeping', 'Kari Nordmann', 'Ola Nordmann', 'Spoofed'])
      expect(out).not.toContain(text);
  });
});
