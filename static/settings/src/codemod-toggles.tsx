import type { CodemodInfo } from '../../shared/src/api-types';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Lozenge, SectionMessage, Spinner } from '../../shared/src/ui';
import { useAsync } from '../../shared/src/use-async';
import { languageLabel, sortCodemods, toggleCodemod } from './codemod-list';

/**
 * One switch per codemod of the catalogue. The policy stores what is off (`disabledCodemods`), so
 * a codemod added in a later version of the app starts on.
 */
export function CodemodToggles({ disabled, onChange }: { disabled: readonly string[]; onChange(disabled: string[]): void }) {
  const [state, reload] = useAsync(() => call('listCodemods', {}), []);
  const off = new Set(disabled);
  return (
    <fieldset className="codemods" data-testid="codemod-toggles">
      <legend>Kinds of fix</legend>
      <p className="field-help">
        Each kind of fix (codemod) Remediate can apply. A kind turned off opens no pull request, automatically or on request;
        its findings are still listed.
      </p>
      {state.status === 'loading' && <Spinner label="Loading the kinds of fix…" />}
      {state.status === 'error' && (
        <SectionMessage appearance="error" title="The kinds of fix could not be loaded">
          <p>{errorMessage(state.error)}</p>
          <Button onClick={reload}>Try again</Button>
        </SectionMessage>
      )}
      {state.status === 'ready' && (
        <>
          <p className="subtle small-note" aria-live="polite">
            {state.data.items.length - state.data.items.filter((c) => off.has(c.id)).length} of {state.data.items.length} on
          </p>
          <ul className="codemod-list">
            {sortCodemods(state.data.items).map((codemod) => (
              <CodemodRow key={codemod.id} codemod={codemod} on={!off.has(codemod.id)}
                onToggle={(on) => onChange(toggleCodemod(disabled, codemod.id, on))} />
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}

function CodemodRow({ codemod, on, onToggle }: { codemod: CodemodInfo; on: boolean; onToggle(on: boolean): void }) {
  const inputId = `codemod-${codemod.id}`;
  return (
    <li className="codemod-row" data-testid="codemod-row">
      <input id={inputId} type="checkbox" role="switch" className="toggle" checked={on}
        aria-describedby={`${inputId}-summary`} onChange={(event) => onToggle(event.target.checked)} />
      <div>
        <label htmlFor={inputId} className="codemod-title">{codemod.title}</label>{' '}
        {codemod.languages.map((language) => <Lozenge key={language}>{languageLabel(language)}</Lozenge>)}
        <p className="field-help" id={`${inputId}-summary`}>
          {codemod.summary} <span className="mono">{codemod.id}</span>
        </p>
      </div>
    </li>
  );
}
