/**
 * `yaml.load` of a file the repository ships, opened through pathlib (`with CONFIG.open() as fh:`,
 * `CONFIG = Path(__file__).resolve().parents[2] / "config" / "x.yaml"`), is set aside like one
 * opened with `open(CONFIG)`. Near misses: a path not in the repository, and a path object the
 * function builds from the request, stay findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const file = [
  'from pathlib import Path',
  'import yaml',
  '',
  'CONFIG = Path(__file__).resolve().parents[2] / "config" / "amenities.yaml"',
  'CACHE = Path(__file__).resolve().parents[2] / "cache" / "amenities.yaml"',
  '',
  'def load_amenities():',
  '    with CONFIG.open() as fh:',
  '        return yaml.load(fh, Loader=yaml.FullLoader)["amenities"]',
  '',
  'def load_cache():',
  '    with CACHE.open() as fh:',
  '        return yaml.load(fh, Loader=yaml.Loader)',
  '',
  'def load_sent(request):',
  '    chosen = Path(request.query_params["file"])',
  '    with chosen.open() as fh:',
  '        return yaml.load(fh, Loader=yaml.UnsafeLoader)',
].join('\n');

test('yaml.load of a shipped file opened through pathlib is set aside; a file not in the repository or chosen by the request is kept', () => {
  const repository = { notShipped: new Map(), containers: [], dataFiles: new Set(['deskbook/config/amenities.yaml']) };
  const at = (marker: string) => triageMarked(ruleFinding('B506', 'bandit', ['CWE-20']), 'deskbook/app/services/amenities.py', file, marker, repository);
  const shipped = at('yaml.FullLoader');
  assert.equal(shipped.verdict, 'false_positive', shipped.justification);
  assert.match(shipped.justification, /deskbook\/config\/amenities\.yaml/);
  assert.equal(at('Loader=yaml.Loader').verdict, 'true_positive');
  assert.equal(at('yaml.UnsafeLoader').verdict, 'true_positive');
});
