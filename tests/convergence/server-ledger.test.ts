/**
 * The ledger is the fuzz's oracle for "every edit is present": these tests show it finds a
 * loss of each kind it claims to find, and nothing when nothing was lost. Two replicas edit;
 * a third doc plays the server's copy and receives only what the test lets through.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, sectionsRoot, seedServicePlan, updateContact } from '../../core/model/index.ts';
import { Ledger } from '../../harness/convergence/ledger.ts';

function setup() {
  const ledger = new Ledger();
  const a = new Y.Doc();
  const b = new Y.Doc();
  ledger.watch('plan', a, 'a');
  ledger.watch('plan', b, 'b');
  const server = new Y.Doc();
  const sync = (from: Y.Doc, to: Y.Doc) =>
    Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
  /** Captures `doc`'s next local updates instead of letting them reach anyone. */
  const hold = (doc: Y.Doc) => {
    const held: Uint8Array[] = [];
    const f = (u: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') held.push(u);
    };
    doc.on('update', f);
    return { held, stop: () => doc.off('update', f) };
  };
  seedServicePlan(a);
  sync(a, b);
  sync(a, server);
  return { ledger, a, b, server, sync, hold };
}

function bodyText(doc: Y.Doc): Y.XmlText {
  const section = [...sectionsRoot(doc).values()][0] as Y.Map<unknown>;
  const body = section.get('body') as Y.XmlFragment;
  if (body.length === 0) {
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      body.insert(0, [p]);
      p.insert(0, [new Y.XmlText()]);
    }, 'local');
  }
  return (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

describe('the ledger behind "every edit is present"', () => {
  it('finds nothing wrong when every edit reached the server, concurrent ones included', () => {
    const { ledger, a, b, server, sync } = setup();
    const id = addContact(a, { name: 'Ola' });
    sync(a, b);
    updateContact(a, id, { relation: 'brother' });
    updateContact(b, id, { relation: 'bror' });
    a.transact(() => bodyText(a).insert(0, 'sleep badly'), 'local');
    sync(a, b);
    b.transact(() => bodyText(b).delete(0, 6), 'local');
    sync(a, server);
    sync(b, server);
    expect(ledger.check('plan', server)).toEqual([]);
  });

  it('names an edit that never reached the server', () => {
    const { ledger, a, server, sync } = setup();
    sync(a, server);
    addContact(a, { name: 'Ola' });
    expect(ledger.check('plan', server).join('\n')).toMatch(/lost update: a's local change/);
  });

  it('names a short field whose later write did not arrive, even when the item did', () => {
    const { ledger, a, server, sync, hold } = setup();
    const id = addContact(a, { name: 'Ola', relation: 'brother' });
    sync(a, server);
    const later = hold(a);
    updateContact(a, id, { relation: 'bror' });
    later.stop();
    expect(ledger.check('plan', server).join('\n')).toMatch(
      /relation of .* holds a's write that a had replaced/,
    );
  });

  it('names typed text that is gone though nobody deleted it, and deleted text that is back', () => {
    const { ledger, a, b, server, sync } = setup();
    a.transact(() => bodyText(a).insert(0, 'call Mum'), 'local');
    sync(a, b);
    b.transact(() => bodyText(b).delete(0, 4), 'local');
    // The server got a's typing but not b's deletion: "call " is back.
    sync(a, server);
    expect(ledger.check('plan', server).join('\n')).toMatch(/was deleted and is back/);

    // A server whose copy lost the typing itself (it has the paragraph, not the text).
    const ledger2 = new Ledger();
    const c = new Y.Doc();
    ledger2.watch('plan', c, 'c');
    seedServicePlan(c);
    c.transact(() => bodyText(c).insert(0, 'walk'), 'local');
    // Forge a server copy that has the typing's clocks but with the text deleted by nobody.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(c));
    forged.transact(() => bodyText(forged).delete(0, 4));
    expect(ledger2.check('plan', forged).join('\n')).toMatch(/lost text: .* is gone, yet nobody deleted it/);
  });

  it('names text on the server that no device typed', () => {
    const { ledger, a, server, sync } = setup();
    sync(a, server);
    const stranger = new Y.Doc();
    Y.applyUpdate(stranger, Y.encodeStateAsUpdate(server));
    stranger.transact(() => bodyText(stranger).insert(0, 'injected'));
    sync(stranger, server);
    expect(ledger.check('plan', server).join('\n')).toMatch(/text nobody typed: "injected"/);
  });
});
