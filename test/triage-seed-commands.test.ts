/**
 * A Django management command is set aside as seeding only when its name or its own words say so,
 * and never when its words say production runs it (written after holdout-17's first run, which set
 * aside a nightly import of partners' files as "seeding"; see src/domain/triage/TUNING-LOG.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const yamlLoad = ruleFinding('B506', 'Bandit', ['CWE-20']);
const command = (docstring: string, help: string): string => [
  `"""${docstring}"""`,
  'import yaml',
  'from django.core.management.base import BaseCommand',
  '',
  'class Command(BaseCommand):',
  `    help = "${help}"`,
  '',
  '    def handle(self, *args, **options):',
  '        for path in INBOX.glob("*.yaml"):',
  '            with path.open() as fh:',
  '                doc = yaml.load(fh, Loader=yaml.Loader)',
  '            save(doc)',
].join('\n');

test('a command whose own words say it runs nightly on partners\' files is production code, whatever its name', () => {
  const nightly = triageMarked(yamlLoad, 'api/surveys/management/commands/import_surveys.py', command('Nightly import of survey files that partners drop into the SFTP inbox.', 'Import partner survey files'), 'yaml.load');
  assert.equal(nightly.verdict, 'true_positive', nightly.justification);
  // A seeding name does not outweigh words that say production runs it.
  const scheduled = triageMarked(yamlLoad, 'api/surveys/management/commands/seed_rates.py', command('Refreshes the rate table from the supplier feed; run hourly by cron in production.', 'Refresh rates'), 'yaml.load');
  assert.equal(scheduled.verdict, 'true_positive', scheduled.justification);
});

test('a command whose name or own words say it loads demo or local data is set aside as not production', () => {
  const demo = triageMarked(yamlLoad, 'api/surveys/management/commands/load_surveys.py', command('Loads the demo surveys for local development.', 'Load demo surveys'), 'yaml.load');
  assert.equal(demo.verdict, 'wont_fix', demo.justification);
  assert.equal(demo.category, 'non_production');
  const named = triageMarked(yamlLoad, 'api/surveys/management/commands/seed_surveys.py', command('Surveys.', 'Surveys'), 'yaml.load');
  assert.equal(named.verdict, 'wont_fix', named.justification);
  // `import_…` alone says nothing about what it imports.
  const bare = triageMarked(yamlLoad, 'api/surveys/management/commands/import_surveys.py', command('Survey files.', 'Import surveys'), 'yaml.load');
  assert.notEqual(bare.category, 'non_production', bare.justification);
});
