import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

/**
 * Transpiles a TypeScript module and everything it imports into plain ESM under `outDir`, so a test can
 * run it in a child process (Node 20 cannot run .ts, and the test must not depend on a prior build) and
 * kill -9 that process. Package imports are rewritten to absolute file URLs, since `outDir` has no
 * node_modules. Returns the file URL of the compiled entry.
 */
export function compileForChild(entry: string, outDir: string): string {
  const done = new Set<string>();
  const visit = (source: string) => {
    if (done.has(source)) return;
    done.add(source);
    const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: source,
    }).outputText;
    const rewritten = output.replace(/(\bfrom\s+|\bimport\s+)'([^']+)'/g, (_match, keyword: string, spec: string) => {
      if (spec.startsWith('.')) {
        visit(path.resolve(path.dirname(source), spec.replace(/\.js$/, '.ts')));
        return `${keyword}'${spec}'`;
      }
      if (spec.startsWith('node:')) return `${keyword}'${spec}'`;
      return `${keyword}'${pathToFileURL(requireFromRepo.resolve(spec)).href}'`;
    });
    const target = path.join(outDir, path.relative(REPO_ROOT, source)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, rewritten);
  };
  const source = path.resolve(entry);
  visit(source);
  return pathToFileURL(path.join(outDir, path.relative(REPO_ROOT, source)).replace(/\.ts$/, '.js')).href;
}

export const SHIPPER_DIR = path.join(REPO_ROOT, 'agents/shipper');
