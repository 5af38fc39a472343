import { useState, type FormEvent } from 'react';
import { groupings, severities, type Grouping, type Policy, type Settings, type Severity } from '../../shared/src/api-types';
import { severityLabel } from '../../shared/src/format';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Field, Section, SectionMessage } from '../../shared/src/ui';

const groupingLabel: Record<Grouping, string> = {
  'per-codemod': 'One pull request per kind of fix',
  'per-file': 'One pull request per file',
  'per-finding': 'One pull request per finding',
};

const isSeverity = (value: string): value is Severity => (severities as readonly string[]).includes(value);
const isGrouping = (value: string): value is Grouping => (groupings as readonly string[]).includes(value);

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** The few policy knobs an admin needs day to day; the rest keep their stored values. */
export function PolicyForm({ settings, onSaved }: { settings: Settings; onSaved(settings: Settings): void }) {
  const [policy, setPolicy] = useState<Policy>(settings.policy);
  const [confidence, setConfidence] = useState(String(settings.policy.minConfidence));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const confidenceValue = Number(confidence);
  const confidenceError =
    confidence.trim() === '' || !Number.isInteger(confidenceValue) || confidenceValue < 0 || confidenceValue > 100
      ? 'Enter a whole number from 0 to 100.'
      : undefined;

  const update = (change: Partial<Policy>) => {
    setPolicy((current) => ({ ...current, ...change }));
    setSave({ kind: 'idle' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (confidenceError) return;
    setSave({ kind: 'saving' });
    try {
      const saved = await call('saveSettings', {
        username: settings.username,
        email: settings.email,
        policy: { ...policy, minConfidence: confidenceValue },
      });
      setSave({ kind: 'saved' });
      onSaved(saved);
    } catch (error) {
      setSave({ kind: 'failed', message: errorMessage(error) });
    }
  };

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
                <option key={severity} value={severity}>
                  {severityLabel[severity]} and above
                </option>
              ))}
            </select>
          </Field>
          <Field label="Minimum confidence (0–100)" htmlFor="minConfidence" error={confidenceError}>
            <input
              id="minConfidence"
              type="number"
              min={0}
              max={100}
              step={1}
              value={confidence}
              onChange={(event) => {
                setConfidence(event.target.value);
                setSave({ kind: 'idle' });
              }}
            />
          </Field>
          <Field label="Grouping" htmlFor="grouping">
            <select
              id="grouping"
              value={policy.grouping}
              onChange={(event) => isGrouping(event.target.value) && update({ grouping: event.target.value })}
            >
              {groupings.map((grouping) => (
                <option key={grouping} value={grouping}>
                  {groupingLabel[grouping]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {save.kind === 'failed' && (
          <SectionMessage appearance="error" title="The policy was not saved">
            <p>{save.message}</p>
          </SectionMessage>
        )}
        {save.kind === 'saved' && <SectionMessage appearance="success" title="Policy saved" />}
        <Button appearance="primary" type="submit" disabled={save.kind === 'saving' || confidenceError !== undefined}>
          {save.kind === 'saving' ? 'Saving…' : 'Save policy'}
        </Button>
      </form>
    </Section>
  );
}
