import type { ShippingFact } from './repository-facts';

/** pytest's default `python_files`: the modules it collects as tests. */
const defaultTestFiles = ['test_*.py', '*_test.py'];

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

/**
 * pytest's `testpaths` (pytest.ini, setup.cfg, tox.ini, pyproject.toml) names the folders pytest
 * searches for tests, not folders that hold only tests: Pyramid's and many packages' layouts list
 * the application package itself (`testpaths = spokes tests`). So a listed folder is test code as a
 * whole only when it is itself a `tests`/`test` folder or every Python file under it is a test
 * module (`python_files`, by default `test_*.py`/`*_test.py`), a `conftest.py`, or sits in a
 * `tests`/`test` folder; otherwise only
 * its test modules and conftest files are.
 */
export function pytestPaths(
  path: string,
  dir: string,
  text: string,
  files: readonly string[],
  mark: (path: string, fact: ShippingFact) => void,
): void {
  const listed = /^\s*testpaths\s*=\s*((?:.+)(?:\n[ \t]+\S.*)*)$/m.exec(text)?.[1];
  if (!listed) return;
  const configured = /^\s*python_files\s*=\s*(.+)$/m.exec(text)?.[1];
  const patterns = (configured ? configured.replace(/[[\]"',]/g, ' ').split(/\s+/).filter(Boolean) : defaultTestFiles).map(globToRegExp);
  const isTestFile = (file: string): boolean => {
    const name = file.slice(file.lastIndexOf('/') + 1);
    return name === 'conftest.py' || patterns.some((p) => p.test(name));
  };
  for (const test of listed.replace(/[[\]"',]/g, ' ').split(/\s+/).filter(Boolean)) {
    const folder = `${dir ? `${dir}/` : ''}${test.replace(/^\.\//, '').replace(/\/$/, '')}/`;
    const python = files.filter((f) => f.startsWith(folder) && f.endsWith('.py'));
    const evidence = `${path} lists ${test} in pytest's testpaths`;
    const onlyTests = /(^|\/)tests?\/$/.test(folder) || python.every((f) => isTestFile(f) || /(^|\/)tests?\//.test(f.slice(folder.length)) || /(^|\/)__init__\.py$/.test(f));
    if (onlyTests) {
      mark(folder, { category: 'test_code', evidence });
      continue;
    }
    for (const file of python.filter(isTestFile)) {
      mark(file, { category: 'test_code', evidence: `${evidence}, and pytest collects ${file.slice(folder.length)} there as a test module` });
    }
  }
}
