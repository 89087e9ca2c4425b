import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The shape check: every import between tokenledger's own files, and of the few guarded packages,
 * against the layers of `layers.json` (where its rules are explained). Part of `npm test`.
 */

interface Layer {
  about: string;
  paths: string[];
  imports: string[] | '*';
  never?: string[];
  types?: string[];
  apart?: boolean;
}
interface Rules {
  layers: Record<string, Layer>;
  packages: Record<string, string[]>;
  exceptions: { from: string; import: string; reason: string }[];
}
interface Import {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RULES = JSON.parse(readFileSync(join(ROOT, 'layers.json'), 'utf8')) as Rules;
const LAYER_PATHS = Object.entries(RULES.layers).flatMap(([name, layer]) => layer.paths.map((glob) => ({ name, glob, pattern: globPattern(glob) })));

/** `**` any folders (or none), `*` any part of one name. */
function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (glob[i] === '*') source += '[^/]*';
    else source += (glob[i] as string).replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The layer a file (a path from the project root, `/`-separated) belongs to, and, for an `apart` layer, its own folder. */
function placeOf(path: string): { layer: string; folder: string } | undefined {
  const hit = LAYER_PATHS.find((p) => p.pattern.test(path));
  if (hit === undefined) return undefined;
  const depth = hit.glob.split('/').findIndex((part) => part.includes('*'));
  return {
    layer: hit.name,
    folder: path
      .split('/')
      .slice(0, depth + 1)
      .join('/'),
  };
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `import`/`export … from`/`import()` of a file; `typeOnly` when nothing of it exists at run time. */
function importsOf(path: string): Import[] {
  const file = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (literal: ts.Node, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    found.push({ specifier: literal.text, typeOnly, line: file.getLineAndCharacterOfPosition(literal.getStart(file)).line + 1 });
  };
  const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean => elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      add(node.moduleSpecifier, clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && allTypes(named.elements))));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const clause = node.exportClause;
      add(node.moduleSpecifier, node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && allTypes(clause.elements)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The file a relative specifier names, from the project root (`./x.js` is `x.ts` in the source). */
function target(from: string, specifier: string): string {
  return relative(ROOT, resolve(ROOT, dirname(from), specifier))
    .split('\\')
    .join('/')
    .replace(/\.js$/, '.ts');
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Why `from` may not import `to` (layers), or undefined when it may. */
function broken(from: { layer: string; folder: string }, to: { layer: string; folder: string }, typeOnly: boolean): string | undefined {
  const rule = RULES.layers[from.layer] as Layer;
  if (from.layer === to.layer) return rule.apart && from.folder !== to.folder ? `layer "${from.layer}" keeps its folders apart` : undefined;
  if (rule.imports === '*') return rule.never?.includes(to.layer) ? `layer "${from.layer}" never imports "${to.layer}"` : undefined;
  if (rule.imports.includes(to.layer) || (typeOnly && rule.types?.includes(to.layer))) return undefined;
  const types = rule.types === undefined ? '' : `, and types from ${rule.types.join(', ') || 'nothing'}`;
  return rule.imports.length === 0 && types === '' ? `layer "${from.layer}" imports nothing of ours` : `layer "${from.layer}" imports only ${rule.imports.join(', ')}${types}`;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('bench')].sort();
const IMPORTS = FILES.map((file) => ({ file, imports: importsOf(file) }));

describe('the shape (layers.json)', () => {
  it('names only layers it defines', () => {
    const names = new Set(Object.keys(RULES.layers));
    const named = Object.values(RULES.layers).flatMap((l) => [...(l.imports === '*' ? [] : l.imports), ...(l.types ?? []), ...(l.never ?? [])]);
    expect([...named, ...Object.values(RULES.packages).flat()].filter((n) => !names.has(n))).toEqual([]);
  });

  it('places every source file in a layer', () => {
    expect(FILES.filter((file) => placeOf(file) === undefined).map((file) => `${file}: in no layer of layers.json (add its folder there)`)).toEqual([]);
  });

  it('keeps every import in the direction the layers allow', () => {
    const used = new Set<string>();
    const problems: string[] = [];
    for (const { file, imports } of IMPORTS) {
      const from = placeOf(file);
      if (from === undefined) continue;
      for (const found of imports) {
        const where = `${file}:${found.line}: import '${found.specifier}'`;
        if (!found.specifier.startsWith('.')) {
          const allowed = RULES.packages[packageOf(found.specifier)];
          if (allowed !== undefined && !allowed.includes(from.layer)) problems.push(`${where}: package ${packageOf(found.specifier)} is for ${allowed.join(', ')} only`);
          continue;
        }
        const path = target(file, found.specifier);
        const to = placeOf(path);
        const why = to === undefined ? undefined : broken(from, to, found.typeOnly);
        if (why === undefined) continue;
        const exception = RULES.exceptions.find((e) => e.from === file && e.import === path);
        if (exception !== undefined) used.add(`${file} -> ${path}`);
        else problems.push(`${where} (layer "${to?.layer}"): ${why}`);
      }
    }
    const stale = RULES.exceptions.filter((e) => !used.has(`${e.from} -> ${e.import}`)).map((e) => `exception ${e.from} -> ${e.import} is no longer needed: remove it`);
    expect([...problems, ...stale]).toEqual([]);
  });

  it('has no cycle between layers', () => {
    const edges = new Map<string, Set<string>>();
    for (const { file, imports } of IMPORTS) {
      const from = placeOf(file)?.layer;
      if (from === undefined || from === 'harness') continue;
      for (const found of imports.filter((i) => i.specifier.startsWith('.'))) {
        const to = placeOf(target(file, found.specifier))?.layer;
        if (to !== undefined && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const done = new Set<string>();
    const walk = (layer: string, path: string[]): void => {
      if (path.includes(layer)) return void cycles.push([...path.slice(path.indexOf(layer)), layer].join(' -> '));
      if (done.has(layer)) return;
      for (const next of edges.get(layer) ?? []) walk(next, [...path, layer]);
      done.add(layer);
    };
    for (const layer of edges.keys()) walk(layer, []);
    expect(cycles).toEqual([]);
  });
});

describe('the shape check itself', () => {
  it('matches folders and names as layers.json describes', () => {
    expect(placeOf('src/core/money.ts')?.layer).toBe('core');
    expect(placeOf('src/sources/claude-code/parser.ts')).toEqual({ layer: 'source', folder: 'src/sources/claude-code' });
    expect(placeOf('src/sources/index.ts')?.layer).toBe('sources');
    expect(placeOf('src/ledger/ledger.ts')?.layer).toBe('ledger-contract');
    expect(placeOf('src/ledger/engines/sqlite/writer.ts')?.layer).toBe('engines');
    expect(placeOf('src/analytics/blocks.test.ts')?.layer).toBe('harness');
  });

  it('tells type-only imports from imports of code', () => {
    const kinds = importsOf('src/analytics/summary.ts').map((i) => `${i.specifier} ${i.typeOnly ? 'type' : 'code'}`);
    expect(kinds).toContain('../budgets/evaluate.js type');
    expect(kinds).toContain('./token-classes.js code');
  });

  it('refuses an import against the direction, and allows types where the rules say', () => {
    const at = (path: string) => placeOf(path) as { layer: string; folder: string };
    expect(broken(at('src/core/money.ts'), at('src/ledger/ledger.ts'), true)).toBe('layer "core" imports nothing of ours');
    expect(broken(at('src/analytics/blocks.ts'), at('src/ledger/engines/sqlite/open.ts'), false)).toBe('layer "analytics" imports only core, ledger-contract');
    expect(broken(at('src/sinks/json/usage-json.ts'), at('src/ledger/ledger.ts'), true)).toBeUndefined();
    expect(broken(at('src/sinks/json/usage-json.ts'), at('src/ledger/ledger.ts'), false)).toContain('and types from ledger-contract, budgets');
    expect(broken(at('src/sources/claude-code/parser.ts'), at('src/sources/codex-cli/parser.ts'), false)).toBe('layer "source" keeps its folders apart');
    expect(broken(at('src/server/app.ts'), at('src/cli/main.ts'), false)).toBe('layer "server" never imports "cli"');
    expect(broken(at('src/cli/main.ts'), at('src/testing/run-cli.ts'), false)).toBe('layer "cli" never imports "harness"');
  });
});
