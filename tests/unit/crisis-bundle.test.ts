/**
 * The popup (the crisis card) must open at once, so it must not load the editor: no Tiptap,
 * nothing from components/editor, and not the app shell or the goal board and service plan
 * views that use the editor. This walks the popup's import graph statically, following
 * relative imports through the source, and lists every forbidden module it reaches.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, parseSource } from '../../harness/imports.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const POPUP_ENTRY = 'entrypoints/popup/main.tsx';

/** Packages and source folders that belong to the editor and the views built on it. */
const FORBIDDEN_PACKAGES = /^(@tiptap\/|prosemirror-|y-prosemirror)/;
const FORBIDDEN_FILES = [
  /^components\/editor\//,
  /^components\/app\/(AppShell|Root)\.tsx$/,
  /^components\/goals\//,
  /^components\/plan\//,
  /^components\/notes\//,
];

type Read = (file: string) => string | null;

/** What a bundle loads: every import but type-only ones. */
const specifiersOf = (file: string, text: string) =>
  importsOf(parseSource(file, text))
    .filter((ref) => !ref.typeOnly)
    .map((ref) => ref.specifier);

/** A source file for a specifier, as Vite resolves it: exact, then with .ts/.tsx, then index. */
function resolve(from: string, specifier: string, read: Read): string | null {
  const base = /^[@~]\//.test(specifier)
    ? specifier.slice(2)
    : path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (read(candidate) !== null) return candidate;
  }
  return null;
}

/** Every module the entry reaches: source files (followed) and packages (listed, not followed). */
function importGraph(entry: string, read: Read): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = read(file);
    if (text === null || !/\.(ts|tsx|mts)$/.test(file)) continue;
    for (const specifier of specifiersOf(file, text)) {
      if (/\.(css|json|svg|png)(\?.*)?$/.test(specifier)) continue;
      if (specifier.startsWith('.') || /^[@~]\//.test(specifier)) {
        const target = resolve(file, specifier, read);
        queue.push(target ?? `unresolved:${path.posix.join(path.posix.dirname(file), specifier)}`);
      } else {
        packages.add(specifier);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function forbiddenIn(graph: { files: string[]; packages: string[] }): string[] {
  return [
    ...graph.packages.filter((p) => FORBIDDEN_PACKAGES.test(p)),
    ...graph.files.filter((f) => FORBIDDEN_FILES.some((pattern) => pattern.test(f))),
  ];
}

const readSource: Read = (file) => {
  const absolute = path.join(ROOT, file);
  return existsSync(absolute) && statSync(absolute).isFile() ? readFileSync(absolute, 'utf8') : null;
};

describe('the import graph walk', () => {
  const fixture: Record<string, string> = {
    'entrypoints/popup/main.tsx':
      "import { Card } from '../../components/crisis/Card.tsx';\nimport './x.css';",
    'components/crisis/Card.tsx':
      "import { useI18n } from '../../hooks/i18n';\nimport type { Editor } from '@tiptap/core';\nimport { Lazy } from '@/components/crisis/Lazy.tsx';",
    'components/crisis/Lazy.tsx': "export const Lazy = () => import('../editor/RichTextEditor.tsx');",
    'hooks/i18n.tsx': "import { createContext } from 'react';",
    'components/editor/RichTextEditor.tsx': "import { useEditor } from '@tiptap/react';",
  };
  const read: Read = (file) => fixture[file] ?? null;

  it('follows relative, aliased and dynamic imports, and ignores type-only imports and CSS', () => {
    expect(importGraph('entrypoints/popup/main.tsx', read)).toEqual({
      files: [
        'components/crisis/Card.tsx',
        'components/crisis/Lazy.tsx',
        'components/editor/RichTextEditor.tsx',
        'entrypoints/popup/main.tsx',
        'hooks/i18n.tsx',
      ],
      packages: ['@tiptap/react', 'react'],
    });
  });

  it('reports the editor and Tiptap when a path leads to them', () => {
    expect(forbiddenIn(importGraph('entrypoints/popup/main.tsx', read))).toEqual([
      '@tiptap/react',
      'components/editor/RichTextEditor.tsx',
    ]);
  });
});

describe('the popup', () => {
  const graph = importGraph(POPUP_ENTRY, readSource);

  it('has its entry and reaches the crisis card', () => {
    expect(graph.files).toContain(POPUP_ENTRY);
    expect(graph.files).toContain('components/crisis/CrisisCard.tsx');
    expect(graph.files.filter((f) => f.startsWith('unresolved:'))).toEqual([]);
  });

  it('reaches no Tiptap, no editor, and no app shell, goal board, service plan or notes views', () => {
    expect(forbiddenIn(graph)).toEqual([]);
  });
});
