/**
 * The folder boundaries of DESIGN.md, checked on the source itself (STYLE.md: "Let machines
 * hold conventions"). ESLint says the same in the editor; this test holds even when lint is
 * skipped, and it parses with TypeScript, so comments and strings never trip it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importsOf as importRefsOf, parseSource as parse } from '../../harness/imports.ts';

/** Every module specifier, type-only ones too. */
const importsOf = (source: ts.SourceFile) => importRefsOf(source).map((ref) => ref.specifier);

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The one file allowed to bind Tiptap's Collaboration extension to a Y.XmlFragment. */
const EDITOR_BINDING = 'components/editor/RichTextEditor.tsx';

const UI_PACKAGES = /^(react|react-dom|wxt|#imports|@tiptap\/[^/]+|@wxt-dev\/[^/]+)(\/.*)?$/;
const YJS_PACKAGES = /^(yjs|y-[^/]+|@tiptap\/y-tiptap)(\/.*)?$/;
const HOST_GLOBALS = new Set(['browser', 'chrome', 'document', 'window']);

function sourceFiles(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mts)$/.test(file))
    .map((file) => path.join(dir, file).split(path.sep).join('/'))
    .sort();
}

/** Names a declaration in this file gives to itself, so a local `window` is not the global. */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isBindingElement(node) ||
        ts.isImportSpecifier(node) ||
        ts.isNamespaceImport(node) ||
        ts.isImportClause(node))
    ) {
      names.add(name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** Uses of the host globals `browser`, `chrome`, `document`, `window` (and DOM/chrome type references). */
function hostGlobalsOf(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const local = declaredNames(source);
  const isNameNotValue = (node: ts.Identifier): boolean => {
    const parent = node.parent;
    return (
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isQualifiedName(parent) && parent.right === node) ||
      ((ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isMethodSignature(parent) ||
        ts.isGetAccessorDeclaration(parent) ||
        ts.isSetAccessorDeclaration(parent) ||
        ts.isEnumMember(parent)) &&
        parent.name === node)
    );
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isIdentifier(node) &&
      HOST_GLOBALS.has(node.text) &&
      !local.has(node.text) &&
      !isNameNotValue(node)
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${node.text} (line ${line + 1})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const reference of source.typeReferenceDirectives) {
    if (/^(chrome|firefox-webextension-polyfill|webextension-polyfill)$/.test(reference.fileName)) {
      found.push(`/// <reference types="${reference.fileName}" />`);
    }
  }
  for (const reference of source.libReferenceDirectives) {
    if (/^dom/i.test(reference.fileName)) found.push(`/// <reference lib="${reference.fileName}" />`);
  }
  return found;
}

function violations(dir: string, check: (file: string, source: ts.SourceFile) => string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    check(file, parse(file, readFileSync(path.join(ROOT, file), 'utf8'))).map(
      (problem) => `${file}: ${problem}`,
    ),
  );
}

const uiImportsInCore = (_file: string, source: ts.SourceFile) =>
  importsOf(source).filter((specifier) => UI_PACKAGES.test(specifier));

const hostGlobalsInCore = (_file: string, source: ts.SourceFile) => hostGlobalsOf(source);

/** core/ must stand alone so that sync-server/ and Node tests can use it as is. */
const importsLeavingCore = (file: string, source: ts.SourceFile) =>
  importsOf(source).filter((specifier) => {
    if (specifier.startsWith('@/') || specifier.startsWith('~/')) return true;
    if (!specifier.startsWith('.')) return false;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return !target.startsWith('core/');
  });

/** Relative imports of `file` that land in one of `folders`. */
const importsInto =
  (...folders: string[]) =>
  (file: string, source: ts.SourceFile) =>
    importsOf(source).filter((specifier) => {
      if (!specifier.startsWith('.')) return false;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      return folders.some((folder) => target.startsWith(`${folder}/`));
    });

const yjsImportsInComponents = (file: string, source: ts.SourceFile) =>
  file === EDITOR_BINDING ? [] : importsOf(source).filter((specifier) => YJS_PACKAGES.test(specifier));

describe('the checks themselves', () => {
  const check = (checker: (file: string, source: ts.SourceFile) => string[], file: string, text: string) =>
    checker(file, parse(file, text));

  it('find every form of importing a forbidden package', () => {
    const text = [
      "import React from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import type { Editor } from '@tiptap/core';",
      "export { defineBackground } from 'wxt/utils/define-background';",
      "const lazy = () => import('#imports');",
      "type B = import('@wxt-dev/browser').Browser;",
      "import * as Y from 'yjs';",
    ].join('\n');
    expect(check(uiImportsInCore, 'core/x.ts', text)).toEqual([
      'react',
      'react-dom/client',
      '@tiptap/core',
      'wxt/utils/define-background',
      '#imports',
      '@wxt-dev/browser',
    ]);
  });

  it('find host globals in code but not in comments, strings, property names or local names', () => {
    const text = [
      '// the window of time in which a document is open',
      "const label = 'window and document';",
      'const o = { window: 1, document: 2 }; o.window = o.document;',
      'function f(chrome: number) { return chrome + 1; }',
      'browser.storage.local.get();',
      "chrome.runtime.sendMessage('x');",
      "const el = document.createElement('p');",
      "if (typeof window !== 'undefined') {}",
      '/// <reference lib="dom" />',
    ].join('\n');
    expect(check(hostGlobalsInCore, 'core/x.ts', text)).toEqual([
      'browser (line 5)',
      'document (line 7)',
      'window (line 8)',
    ]);
    // A triple-slash directive counts only at the top of a file.
    expect(check(hostGlobalsInCore, 'core/y.ts', '/// <reference lib="dom" />\nexport {};')).toEqual([
      '/// <reference lib="dom" />',
    ]);
  });

  it('find relative imports that leave core/', () => {
    const text =
      "import { a } from './a.ts';\nimport { b } from '../../hooks/b.ts';\nimport { c } from '../c.ts';";
    expect(check(importsLeavingCore, 'core/model/x.ts', text)).toEqual(['../../hooks/b.ts']);
  });

  it('find relative imports into the named folders', () => {
    const text =
      "import { a } from '../tests/a.ts';\nimport { b } from '../harness/b.ts';\nimport 'tests-like';";
    expect(check(importsInto('tests', 'scripts'), 'bench/x.ts', text)).toEqual(['../tests/a.ts']);
  });

  it('allow Yjs only in the editor binding', () => {
    const text =
      "import * as Y from 'yjs';\nimport { WebsocketProvider } from 'y-websocket';\nimport 'yjs-like';";
    expect(check(yjsImportsInComponents, 'components/goals/Goal.tsx', text)).toEqual(['yjs', 'y-websocket']);
    expect(check(yjsImportsInComponents, EDITOR_BINDING, text)).toEqual([]);
  });
});

describe('the folder boundaries', () => {
  it('core/ exists and has TypeScript files to check', () => {
    expect(sourceFiles('core').length).toBeGreaterThan(0);
  });

  it('core/ imports no React, React DOM, WXT or Tiptap', () => {
    expect(violations('core', uiImportsInCore)).toEqual([]);
  });

  it('core/ uses no browser, chrome, document or window', () => {
    expect(violations('core', hostGlobalsInCore)).toEqual([]);
  });

  it('core/ imports nothing from outside core/ but packages', () => {
    expect(violations('core', importsLeavingCore)).toEqual([]);
  });

  it('tests/, scripts/ and bench/ share their harness through harness/, never through each other', () => {
    expect(violations('tests', importsInto('scripts', 'bench'))).toEqual([]);
    expect(violations('scripts', importsInto('tests', 'bench'))).toEqual([]);
    expect(violations('bench', importsInto('tests', 'scripts'))).toEqual([]);
    expect(violations('harness', importsInto('tests', 'scripts', 'bench'))).toEqual([]);
  });

  it(`components/ import yjs and y-* packages only in ${EDITOR_BINDING}`, () => {
    expect(violations('components', yjsImportsInComponents)).toEqual([]);
  });
});
