// @vitest-environment node
/**
 * docs/protocol.md lists every metric the server exports, and the join page's headers: an
 * operator reads the docs, not the code, to know what to watch (issue 14, item 6).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const protocol = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8');
const section = (heading: string) => {
  const start = protocol.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  return protocol.slice(start, protocol.indexOf('\n#', start + heading.length));
};

const t = withServer();

describe('docs/protocol.md tells the truth about', () => {
  it('every metric /metrics exports', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(20);
    const documented = section('### Health and metrics');
    expect(names.filter((n) => !documented.includes(`\`${n}`))).toEqual([]);
  });

  it("the join page's security headers", async () => {
    const res = await fetch(`${t.url}/join`);
    const documented = section('## Invite page');
    for (const header of ['content-security-policy', 'referrer-policy', 'x-content-type-options']) {
      expect(documented, header).toContain(res.headers.get(header)!);
    }
  });
});
