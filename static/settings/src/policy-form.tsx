import { useState, type FormEvent } from 'react';
import { groupings, severities, type Grouping, type Policy, type Settings, type Severity } from '../../shared/src/api-types';
import { severityLabel } from '../../shared/src/format';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Field, Section, SectionMessage } from '../../shared/src/ui';
import { CodemodToggles } from './codemod-toggles';
import { parseIgnoreCwes, parseIgnoreRules, parsePathExcludes, wholeNumberError } from './policy-values';

const groupingLabel: Record<Grouping, string> = {
  'per-codemod': 'One pull request per kind of fix',
  'per-file': 'One pull request per file',
  'per-finding': 'One pull request per finding',
};

const isSeverity = (value: string): value is Severity => (severities as readonly string[]).includes(value);
const isGrouping = (value: string): value is Grouping => (groupings as readonly string[]).includes(value);

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };
type NumberKey = 'minConfidence' | 'maxOpenPullRequests' | 'maxNewPullRequestsPerScan';
const limits: Record<NumberKey, [number, number]> = {
  minConfidence: [0, 100],
  maxOpenPullRequests: [1, 100],
  maxNewPullRequestsPerScan: [1, 50],
};

/** Every policy knob: automatic PRs, thresholds, grouping, PR caps, excluded paths, Code Insights and the kinds of fix. */
export function PolicyForm({ settings, onSaved }: { settings: Settings; onSaved(settings: Settings): void }) {
  const [policy, setPolicy] = useState<Policy>(settings.policy);
  const [numbers, setNumbers] = useState<Record<NumberKey, string>>({
    minConfidence: String(settings.policy.minConfidence),
    maxOpenPullRequests: String(settings.policy.maxOpenPullRequests),
    maxNewPullRequestsPerScan: String(settings.policy.maxNewPullRequestsPerScan),
  });
  const [excludes, setExcludes] = useState(settings.policy.pathExcludes.join('\n'));
  const [ignoreRules, setIgnoreRules] = useState((settings.policy.ignoreRules ?? []).join('\n'));
  const [ignoreCwes, setIgnoreCwes] = useState((settings.policy.ignoreCwes ?? []).join('\n'));
  const ignoreSupported = settings.policy.ignoreRules !== undefined && settings.policy.ignoreCwes !== undefined;
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const numberErrors = Object.fromEntries(
    (Object.keys(limits) as NumberKey[]).map((key) => [key, wholeNumberError(numbers[key], ...limits[key])]),
  ) as Record<NumberKey, string | undefined>;
  const excludeResult = parsePathExcludes(excludes);
  const rulesResult = parseIgnoreRules(ignoreRules);
  const cwesResult = parseIgnoreCwes(ignoreCwes);
  const invalid = Object.values(numberErrors).some(Boolean) || excludeResult.error !== undefined
    || rulesResult.error !== undefined || cwesResult.error !== undefined;

  const update = (change: Partial<Policy>) => {
    setPolicy((current) => ({ ...current, ...change }));
    setSave({ kind: 'idle' });
  };
  const setNumber = (key: NumberKey, value: string) => {
    setNumbers((current) => ({ ...current, [key]: value }));
    setSave({ kind: 'idle' });
  };

  // The kinds of fix save themselves (CodemodToggles), so this form never sends them.
  const { disabledCodemods: _ownSwitches, ...formPolicy } = policy;
  const edited: Partial<Policy> = {
    ...formPolicy,
    minConfidence: Number(numbers.minConfidence),
    maxOpenPullRequests: Number(numbers.maxOpenPullRequests),
    maxNewPullRequestsPerScan: Number(numbers.maxNewPullRequestsPerScan),
    pathExcludes: excludeResult.patterns,
    ...(ignoreSupported ? { ignoreRules: rulesResult.values, ignoreCwes: cwesResult.values } : {}),
  };
  const [savedPolicy, setSavedPolicy] = useState<Policy>(settings.policy);
  const dirty = (Object.keys(edited) as (keyof Policy)[]).some((key) => JSON.stringify(edited[key]) !== JSON.stringify(savedPolicy[key]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setSave({ kind: 'saving' });
    try {
      const saved = await call('saveSettings', { username: settings.username, email: settings.email, policy: edited });
      setSave({ kind: 'saved' });
      setSavedPolicy(saved.policy);
      flag('success', 'Policy saved');
      onSaved(saved);
    } catch (error) {
      setSave({ kind: 'failed', message: errorMessage(error) });
      flag('error', 'The policy was not saved', errorMessage(error));
    }
  };

  const numberInput = (key: NumberKey) => (
    <input
      id={key}
      type="number"
      min={limits[key][0]}
      max={limits[key][1]}
      step={1}
      value={numbers[key]}
      aria-invalid={numberErrors[key] ? true : undefined}
      onChange={(event) => setNumber(key, event.target.value)}
    />
  );

  return (
    <Section
      id="policy"
      title="Policy"
      description="Which findings get automatic fix pull requests. Findings below the thresholds are still listed on each repository's Remediate page."
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label className="checkbox">
          <input
            type="checkbox"
            name="autoPullRequests"
            checked={policy.autoPullRequests}
            onChange={(event) => update({ autoPullRequests: event.target.checked })}
          />
          Open fix pull requests automatically after each scan
        </label>
        <div className="inline-fields">
          <Field label="Minimum severity" htmlFor="minSeverity">
            <select
              id="minSeverity"
              value={policy.minSeverity}
              onChange={(event) => isSeverity(event.target.value) && update({ minSeverity: event.target.value })}
            >
              {severities.map((severity) => (
                <option key={severity} value={severity}>{severityLabel[severity]} and above</option>
              ))}
            </select>
          </Field>
          <Field label="Minimum confidence (0–100)" htmlFor="minConfidence" error={numberErrors.minConfidence}>
            {numberInput('minConfidence')}
          </Field>
          <Field label="Grouping" htmlFor="grouping">
            <select
              id="grouping"
              value={policy.grouping}
              onChange={(event) => isGrouping(event.target.value) && update({ grouping: event.target.value })}
            >
              {groupings.map((grouping) => (
                <option key={grouping} value={grouping}>{groupingLabel[grouping]}</option>
              ))}
            </select>
          </Field>
        </div>
        <div className="inline-fields">
          <Field label="Open fix pull requests at most (1–100)" htmlFor="maxOpenPullRequests" error={numberErrors.maxOpenPullRequests}
            help="Per repository; no new ones are opened while this many are open.">
            {numberInput('maxOpenPullRequests')}
          </Field>
          <Field label="New pull requests per scan at most (1–50)" htmlFor="maxNewPullRequestsPerScan"
            error={numberErrors.maxNewPullRequestsPerScan} help="Keeps one big scan from flooding reviewers.">
            {numberInput('maxNewPullRequestsPerScan')}
          </Field>
        </div>
        <Field
          label="Paths to leave alone"
          htmlFor="pathExcludes"
          error={excludeResult.error}
          help={<>One glob per line, e.g. <code>vendor/**</code> or <code>**/*.min.js</code>. Findings there are listed but never fixed.</>}
        >
          <textarea
            id="pathExcludes"
            rows={4}
            spellCheck={false}
            value={excludes}
            aria-invalid={excludeResult.error ? true : undefined}
            onChange={(event) => {
              setExcludes(event.target.value);
              setSave({ kind: 'idle' });
            }}
          />
        </Field>
        {ignoreSupported && (
          <div className="inline-fields">
            <Field label="Rules to ignore" htmlFor="ignoreRules" error={rulesResult.error}
              help="One rule id per line. Their findings are marked won't fix by policy and never fixed.">
              <textarea id="ignoreRules" rows={3} spellCheck={false} value={ignoreRules}
                aria-invalid={rulesResult.error ? true : undefined}
                onChange={(event) => { setIgnoreRules(event.target.value); setSave({ kind: 'idle' }); }} />
            </Field>
            <Field label="CWEs to ignore" htmlFor="ignoreCwes" error={cwesResult.error}
              help="One per line, e.g. CWE-327 or 327. Treated the same way.">
              <textarea id="ignoreCwes" rows={3} spellCheck={false} value={ignoreCwes}
                aria-invalid={cwesResult.error ? true : undefined}
                onChange={(event) => { setIgnoreCwes(event.target.value); setSave({ kind: 'idle' }); }} />
            </Field>
          </div>
        )}
        <label className="checkbox">
          <input
            type="checkbox"
            name="codeInsights"
            checked={policy.codeInsights}
            onChange={(event) => update({ codeInsights: event.target.checked })}
          />
          Publish a Code Insights report with annotations on each scanned commit
        </label>
        {policy.mergeCheckMinSeverity !== undefined && (
          <fieldset className="merge-check">
            <legend>Merge check</legend>
            <p className="subtle small">
              Turn it on in Workspace settings → Custom merge checks, then make &ldquo;Remediate&rdquo; Required per repository or project.
            </p>
            <div className="inline-fields">
              <Field label="Block pull requests that introduce findings of" htmlFor="mergeCheckMinSeverity">
                <select
                  id="mergeCheckMinSeverity"
                  value={policy.mergeCheckMinSeverity}
                  onChange={(event) => isSeverity(event.target.value) && update({ mergeCheckMinSeverity: event.target.value })}
                >
                  {severities.map((severity) => (
                    <option key={severity} value={severity}>{severityLabel[severity]} and above</option>
                  ))}
                </select>
              </Field>
              <Field label="When no scan of the latest commit arrived" htmlFor="mergeCheckWithoutScan">
                <select
                  id="mergeCheckWithoutScan"
                  value={policy.mergeCheckWithoutScan ?? 'pass'}
                  onChange={(event) => update({ mergeCheckWithoutScan: event.target.value === 'fail' ? 'fail' : 'pass' })}
                >
                  <option value="pass">Pass, saying no scan arrived</option>
                  <option value="fail">Fail until a scan arrives</option>
                </select>
              </Field>
            </div>
          </fieldset>
        )}
        {dirty && save.kind !== 'saving' && (
          <div className="unsaved" data-testid="unsaved-policy">
            <SectionMessage appearance="warning" title="Unsaved changes">
              <p>The policy above has changes that are not saved yet: choose Save policy to keep them.</p>
            </SectionMessage>
          </div>
        )}
        {save.kind === 'failed' && (
          <SectionMessage appearance="error" title="The policy was not saved">
            <p>{save.message}</p>
          </SectionMessage>
        )}
        {save.kind === 'saved' && <SectionMessage appearance="success" title="Policy saved" />}
        <Button appearance="primary" type="submit" disabled={save.kind === 'saving' || invalid}>
          {save.kind === 'saving' ? 'Saving…' : 'Save policy'}
        </Button>
      </form>
      {settings.policy.disabledCodemods !== undefined && <CodemodToggles settings={settings} onSaved={onSaved} />}
    </Section>
  );
}
