// Runs every test file under test/ with Node's own test runner (TypeScript through tsx).
// Node 20's `--test` does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// test/fixtures holds other projects' code (the triage sets' sample apps have their own tests).
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === join('test', 'fixtures')) return [];
    if (statSync(path).isDirectory()) return collect(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : collect('test').sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, REMEDIATE_NO_DEMO: '1' } },
);
process.exit(result.status ?? 1);
