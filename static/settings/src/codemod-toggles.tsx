import { useState } from 'react';
import type { CodemodInfo, Settings } from '../../shared/src/api-types';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Lozenge, SectionMessage, Spinner } from '../../shared/src/ui';
import { useAsync } from '../../shared/src/use-async';
import { catalogueLanguages, filterCodemods, languageLabel, sortCodemods, toggleCodemod } from './codemod-list';

/**
 * One switch per codemod of the catalogue, searchable and filterable by language. A switch takes
 * effect at once (it saves the policy's `disabledCodemods` on its own and says so); a refused save
 * puts the switch back. The policy stores what is off, so a codemod added later starts on.
 */
export function CodemodToggles({ settings, onSaved }: { settings: Settings; onSaved(settings: Settings): void }) {
  const [state, reload] = useAsync(() => call('listCodemods', {}), []);
  const [disabled, setDisabled] = useState<readonly string[]>(settings.policy.disabledCodemods ?? []);
  const [saving, setSaving] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [text, setText] = useState('');
  const [language, setLanguage] = useState('');
  const off = new Set(disabled);

  const toggle = async (codemod: CodemodInfo, on: boolean) => {
    const before = disabled;
    const next = toggleCodemod(disabled, codemod.id, on);
    setDisabled(next);
    setSaving(codemod.id);
    setFailure(undefined);
    try {
      const saved = await call('saveSettings', { username: settings.username, email: settings.email, policy: { disabledCodemods: next } });
      flag('success', `${codemod.title} turned ${on ? 'on' : 'off'}`, on ? 'Its fixes are offered again.' : 'No pull request uses it until it is turned on again.');
      onSaved(saved);
    } catch (error) {
      setDisabled(before);
      setFailure(`${codemod.title} was not turned ${on ? 'on' : 'off'}: ${errorMessage(error)}`);
      flag('error', `${codemod.title} was not turned ${on ? 'on' : 'off'}`, errorMessage(error));
    } finally {
      setSaving(undefined);
    }
  };

  return (
    <fieldset className="codemods" data-testid="codemod-toggles">
      <legend>Kinds of fix</legend>
      <p className="field-help">
        Each kind of fix (codemod) Remediate can apply. A switch takes effect at once. A kind turned off opens no pull request,
        automatically or on request; its findings are still listed.
      </p>
      {state.status === 'loading' && <Spinner label="Loading the kinds of fix…" />}
      {state.status === 'error' && (
        <SectionMessage appearance="error" title="The kinds of fix could not be loaded">
          <p>{errorMessage(state.error)}</p>
          <Button onClick={reload}>Try again</Button>
        </SectionMessage>
      )}
      {failure && <SectionMessage appearance="error" title="Not saved"><p>{failure}</p></SectionMessage>}
      {state.status === 'ready' && (() => {
        const shown = sortCodemods(filterCodemods(state.data.items, text, language));
        const onCount = state.data.items.length - state.data.items.filter((c) => off.has(c.id)).length;
        return (
          <>
            <div className="codemod-filters">
              <label>
                Search kinds of fix
                <input type="search" value={text} placeholder="Title, CWE or id" onChange={(e) => setText(e.target.value)} />
              </label>
              <label>
                Language
                <select value={language} onChange={(e) => setLanguage(e.target.value)}>
                  <option value="">Every language</option>
                  {catalogueLanguages(state.data.items).map((lang) => <option key={lang} value={lang}>{languageLabel(lang)}</option>)}
                </select>
              </label>
            </div>
            <p className="subtle small-note" aria-live="polite" data-testid="codemod-count">
              {onCount} of {state.data.items.length} on{shown.length < state.data.items.length ? ` · ${shown.length} shown` : ''}
            </p>
            <ul className="codemod-list">
              {shown.map((codemod) => (
                <CodemodRow key={codemod.id} codemod={codemod} on={!off.has(codemod.id)} busy={saving === codemod.id}
                  onToggle={(on) => void toggle(codemod, on)} />
              ))}
            </ul>
            {shown.length === 0 && <p className="subtle">No kind of fix matches.</p>}
          </>
        );
      })()}
    </fieldset>
  );
}

function CodemodRow({ codemod, on, busy, onToggle }: { codemod: CodemodInfo; on: boolean; busy: boolean; onToggle(on: boolean): void }) {
  const inputId = `codemod-${codemod.id}`;
  return (
    <li className="codemod-row" data-testid="codemod-row">
      <input id={inputId} type="checkbox" role="switch" className="toggle" checked={on} disabled={busy}
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
