/**
 * The notes view rendered to HTML, without a browser: what a person (or a screen reader)
 * finds in it. Clicking, typing and focus are covered by tests/e2e/notes.spec.ts.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Thread } from '../../core/model/index.ts';
import { NotesView, type NotesCommands } from '../../components/notes/NotesView.tsx';

const GOAL = { kind: 'goal', id: 'goal-id-0123456789' } as const;
const noop: NotesCommands = { addThread: () => {}, reply: () => {}, setResolved: () => {} };

function thread(id: string, resolved: boolean, bodies: string[], by = 'local'): Thread {
  return {
    id,
    target: GOAL,
    createdBy: by,
    createdAt: '2025-01-01T10:00:00.000Z',
    resolved,
    comments: bodies.map((body, i) => ({
      id: `${id}-c${i}`,
      by,
      at: '2025-01-01T10:00:00.000Z',
      body,
      order: `a${i}`,
    })),
  };
}

function render(threads: Thread[], options: { readOnly?: boolean; open?: boolean } = {}): string {
  return renderToStaticMarkup(
    createElement(NotesView, {
      target: GOAL,
      targetLabel: 'Walk to the shop',
      threads,
      commands: options.readOnly ? null : noop,
      defaultOpen: options.open ?? true,
    }),
  );
}

/** The opening tag of the toggle button. */
const toggleTag = (html: string) => /<button[^>]*class="notes-toggle[^>]*>/.exec(html)?.[0] ?? '';

describe('the Comment button', () => {
  it('is named "Comment" and shows how many threads are not resolved yet', () => {
    const html = render([thread('t1', false, ['a']), thread('t2', false, ['b']), thread('t3', true, ['c'])], {
      open: false,
    });
    expect(toggleTag(html)).toContain('aria-label="Comment"');
    expect(toggleTag(html)).toContain('aria-expanded="false"');
    expect(toggleTag(html)).toContain('has-open');
    expect(html).toContain('Comment<span class="notes-count"> (2)</span>');
    expect(html).toContain('Comments on “Walk to the shop”: 2 not resolved');
  });

  it('shows no count and no highlight when every thread is resolved', () => {
    const html = render([thread('t1', true, ['done'])], { open: false });
    expect(toggleTag(html)).not.toContain('has-open');
    expect(html).not.toContain('notes-count');
  });

  it('keeps the thread area hidden until it is opened', () => {
    expect(render([], { open: false })).toMatch(/role="region"[^>]*hidden=""/);
    expect(render([], { open: true })).not.toMatch(/role="region"[^>]*hidden=""/);
  });
});

describe('the thread area', () => {
  it('offers a "Comment" text field and a "Save comment" button on an item with no threads', () => {
    const html = render([]);
    expect(html).toContain('No comments yet.');
    expect(html).toMatch(
      /<label for="([^"]+)">Comment<\/label><div class="notes-form-row"><textarea id="\1"/,
    );
    expect(html).toContain('<button type="submit">Save comment</button>');
  });

  it('shows each comment as plain text, never as HTML', () => {
    const html = render([thread('t1', false, ['<img src=x onerror="alert(1)"> & <b>bold</b>'])]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  });

  it('names the author "You" for comments written on this device', () => {
    const html = render([thread('t1', false, ['hello'])]);
    expect(html).toContain('<span class="notes-author">You</span>');
  });

  it('gives an open thread a Reply field, a Reply button and a Resolve button', () => {
    const html = render([thread('t1', false, ['first', 'second'])]);
    expect(html).toMatch(/<label for="[^"]+">Reply<\/label><div class="notes-form-row"><textarea/);
    expect(html).toContain('<button type="submit">Reply</button>');
    expect(html).toContain('>Resolve</button>');
    expect(html.indexOf('first')).toBeLessThan(html.indexOf('second'));
  });

  it('folds resolved threads under "Show resolved (n)", each with Reopen', () => {
    const html = render([thread('t1', false, ['open one']), thread('t2', true, ['closed one'])]);
    expect(html).toMatch(/aria-expanded="false"[^>]*>Show resolved \(1\)<\/button>/);
    expect(html).toMatch(/<ul id="[^"]+" class="notes-threads" hidden="">.*closed one.*Reopen/s);
    expect(html.match(/>Resolve<\/button>/g)).toHaveLength(1);
  });

  it('shows threads but no way to write when the plan is read-only', () => {
    const html = render([thread('t1', false, ['visible']), thread('t2', true, ['also visible'])], {
      readOnly: true,
    });
    expect(html).toContain('visible');
    expect(html).not.toContain('<textarea');
    expect(html).not.toContain('Resolve</button>');
    expect(html).not.toContain('Reopen');
    expect(html).toContain('Show resolved (1)');
  });
});
