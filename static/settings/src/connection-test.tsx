import { useState } from 'react';
import type { ConnectionResult } from '../../shared/src/api-types';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Field, Section, SectionMessage, Spinner } from '../../shared/src/ui';

type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: ConnectionResult }
  | { kind: 'failed'; message: string };

/** Runs the backend's checks (sign-in, username, each scope, workspace access) against the saved settings. */
export function ConnectionTest({ configured }: { configured: boolean }) {
  const [state, setState] = useState<TestState>({ kind: 'idle' });
  const [repository, setRepository] = useState('');
  const run = async () => {
    setState({ kind: 'running' });
    try {
      const slug = repository.trim().replace(/^.*\//, '');
      const result = await call('testConnection', slug ? { repository: slug } : {});
      setState({ kind: 'done', result });
      const failed = result.checks.filter((check) => check.outcome === 'failed' || (check.outcome === undefined && !check.ok)).length;
      flag(failed > 0 ? 'error' : 'success', failed > 0 ? `${failed} connection check${failed === 1 ? '' : 's'} failed` : 'Connection checks passed',
        failed > 0 ? result.checks.filter((check) => !check.ok).map((check) => check.detail).join('\n') : undefined);
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  return (
    <Section
      id="connection"
      title="Test connection"
      description="Checks the saved account against Bitbucket: sign-in, username, each token scope and access to this workspace."
    >
      {!configured && (
        <SectionMessage appearance="warning">
          <p>Save a username, email address and API token first.</p>
        </SectionMessage>
      )}
      <Field
        label="Repository to prove write access on (optional)"
        htmlFor="test-repository"
        help="Its slug, e.g. shop-api. Without one, the last scanned repository is used, or on a new workspace one the account can read."
      >
        <input
          id="test-repository"
          type="text"
          spellCheck={false}
          value={repository}
          onChange={(event) => setRepository(event.target.value)}
        />
      </Field>
      <Button onClick={() => void run()} disabled={state.kind === 'running'}>
        {state.kind === 'running' ? 'Testing…' : 'Test connection'}
      </Button>
      {state.kind === 'running' && <Spinner label="Asking Bitbucket…" />}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="The test could not run">
          <p>{state.message}</p>
        </SectionMessage>
      )}
      {state.kind === 'done' && <CheckList result={state.result} />}
    </Section>
  );
}

const outcomeOf = (check: ConnectionResult['checks'][number]): 'passed' | 'failed' | 'not-tested' => check.outcome ?? (check.ok ? 'passed' : 'failed');
const mark = { passed: '✓', failed: '✗', 'not-tested': '–' } as const;
const markLabel = { passed: 'passed', failed: 'failed', 'not-tested': 'not tested yet' } as const;

function CheckList({ result }: { result: ConnectionResult }) {
  const failed = result.checks.filter((check) => outcomeOf(check) === 'failed').length;
  const untested = result.checks.filter((check) => outcomeOf(check) === 'not-tested').length;
  const summary = failed > 0
    ? `${failed} of ${result.checks.length} checks failed.`
    : untested > 0
      ? `Everything tested passed; ${untested} check${untested === 1 ? ' is' : 's are'} not tested yet.`
      : 'All checks passed.';
  return (
    <div data-testid="connection-result">
      <p style={{ marginTop: 16 }}><strong>{summary}</strong></p>
      <ul className="checks">
        {result.checks.map((check) => {
          const outcome = outcomeOf(check);
          return (
            <li key={check.id} className={`check-${outcome === 'passed' ? 'pass' : outcome === 'failed' ? 'fail' : 'untested'}`} data-testid="connection-check" data-outcome={outcome}>
              <span className="check-mark" role="img" aria-label={markLabel[outcome]}>{mark[outcome]}</span>
              <span>
                <strong>{check.label ?? check.id}</strong>
                {check.detail ? <span className="subtle"> — {check.detail}</span> : null}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
