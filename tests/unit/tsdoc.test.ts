/**
 * Every exported function and class of core/ and sync-server/ says what it is for (STYLE.md:
 * the main export of a module carries TSDoc). Read with TypeScript's parser, as the boundary
 * test reads imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../harness/imports.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `file:name` of each exported function or class in `source` without a TSDoc comment. */
function undocumented(file: string, source: ts.SourceFile): string[] {
  return source.statements
    .filter((s) => ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s))
    .filter((s) => ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    .filter((s) => ts.getJSDocCommentsAndTags(s).length === 0)
    .map((s) => `${file}:${(s as ts.FunctionDeclaration | ts.ClassDeclaration).name?.text ?? 'default'}`);
}

function undocumentedIn(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .sort()
    .flatMap((f) => {
      const file = `${dir}/${f.split(path.sep).join('/')}`;
      return undocumented(file, parseSource(file, readFileSync(path.join(ROOT, file), 'utf8')));
    });
}

describe('TSDoc', () => {
  it('the check finds an undocumented export and passes a documented one', () => {
    const text = [
      '/** Documented. */',
      'export function a() {}',
      'export function b() {}',
      '// a line comment is not TSDoc',
      'export class C {}',
      'function internal() {}',
    ].join('\n');
    expect(undocumented('x.ts', parseSource('x.ts', text))).toEqual(['x.ts:b', 'x.ts:C']);
  });

  it.each(['core', 'sync-server'])('every exported function and class of %s/ has it', (dir) => {
    expect(undocumentedIn(dir)).toEqual([]);
  });
});
