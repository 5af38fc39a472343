/** The project context codemods may be given: versions read from manifest ranges, and fixes that depend on it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { majorVersion } from '../src/domain/codemods/catalogue/js-yaml-safe-load';
import { fixFile } from '../src/domain/codemods/engine';

test('the major version of a manifest range', () => {
  assert.equal(majorVersion('^3.13.1'), 3);
  assert.equal(majorVersion('~3.14'), 3);
  assert.equal(majorVersion('3.x'), 3);
  assert.equal(majorVersion('>=4.0.0'), 4);
  assert.equal(majorVersion('4.1.0'), 4);
  assert.equal(majorVersion('latest'), undefined);
  assert.equal(majorVersion('github:nodeca/js-yaml'), undefined);
  assert.equal(majorVersion(undefined), undefined);
});

test('a client passed in: the SQL driver comes from the project only when the file does not say', async () => {
  const content = "module.exports = (db) => ({ byId: (id, cb) => db.query('SELECT * FROM t WHERE id = ' + id, cb) });\n";
  const finding = { id: 'q', ruleId: 'js/sql-injection', cwes: [], location: { path: 'src/repo.js', startLine: 1 } };
  const none = await fixFile({ path: 'src/repo.js', content, findings: [finding] });
  assert.match(none.unfixed[0]?.reason ?? '', /database library is not known/);
  const pg = await fixFile({ path: 'src/repo.js', content, findings: [finding] }, { project: { dependencies: ['pg'] } });
  assert.match(pg.content, /WHERE id = \$1', \[id\], cb\)/);
  const mysql = await fixFile({ path: 'src/repo.js', content, findings: [finding] }, { project: { dependencies: ['mysql2'] } });
  assert.match(mysql.content, /WHERE id = \?', \[id\], cb\)/);
  const both = await fixFile({ path: 'src/repo.js', content, findings: [finding] }, { project: { dependencies: ['pg', 'mysql'] } });
  assert.match(both.unfixed[0]?.reason ?? '', /depends on pg and mysql/);
  // Sequelize projects list their driver too; sequelize.query takes options, not a values array: no guessing.
  const orm = await fixFile({ path: 'src/repo.js', content, findings: [finding] }, { project: { dependencies: ['sequelize', 'mysql2'] } });
  assert.equal(orm.content, content);
  assert.match(orm.unfixed[0]?.reason ?? '', /depends on sequelize as well as a driver/);
});
