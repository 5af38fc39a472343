import { useEffect, useState } from 'react';
import type { FindingFilter, FindingSort } from '../../shared/src/api-types';
import { findingSorts, findingStatuses, severities, verdicts } from '../../shared/src/api-types';
import { severityLabel, statusLabel, verdictLabel } from '../../shared/src/format';
import { Button } from '../../shared/src/ui';
import { isFiltered, type ViewState } from './view-state';

const textKeys = ['q', 'tool', 'path'] as const;
type TextKey = (typeof textKeys)[number];

const sortLabel: Record<FindingSort, string> = {
  severity: 'Severity (most severe first)',
  confidence: 'Confidence (highest first)',
  path: 'Location (A–Z)',
  newest: 'Recently updated',
};

/** Search, filters, sort and grouping; every change starts again at page 1 and lands in the page's route. */
export function FindingFilters({ view, onChange }: { view: ViewState; onChange(next: ViewState): void }) {
  const { filter, sort, groupBy } = view;
  const set = (change: Partial<FindingFilter>) => {
    const next: FindingFilter = { ...filter, ...change };
    for (const key of Object.keys(next) as (keyof FindingFilter)[]) if (!next[key]) delete next[key];
    onChange({ ...view, filter: next, page: 1 });
  };
  const pick = <T extends string>(allowed: readonly T[], value: string): T | undefined => allowed.find((option) => option === value);
  const typed = () => ({ q: filter.q ?? '', tool: filter.tool ?? '', path: filter.path ?? '' });
  const [text, setText] = useState<Record<TextKey, string>>(typed);
  useEffect(() => setText(typed()), [filter.q, filter.tool, filter.path]); // eslint-disable-line react-hooks/exhaustive-deps
  // Typed filters apply after a pause, so each keystroke does not cost a resolver call.
  useEffect(() => {
    const changed = textKeys.some((key) => text[key].trim() !== (filter[key] ?? ''));
    if (!changed) return undefined;
    const timer = setTimeout(() => set({ q: text.q.trim(), tool: text.tool.trim(), path: text.path.trim() }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text.q, text.tool, text.path, JSON.stringify(view)]);
  return (
    <div className="filters" role="search" aria-label="Search, filter and sort findings">
      <label className="search-field">
        Search
        <input type="search" name="q" placeholder="Path, rule or message" value={text.q} spellCheck={false}
          onChange={(e) => setText((t) => ({ ...t, q: e.target.value }))} />
      </label>
      <label>
        Verdict
        <select value={filter.verdict ?? ''} onChange={(e) => set({ verdict: pick(verdicts, e.target.value) })} name="verdict">
          <option value="">Any verdict</option>
          {verdicts.map((v) => <option key={v} value={v}>{verdictLabel[v]}</option>)}
        </select>
      </label>
      <label>
        Severity
        <select value={filter.severity ?? ''} onChange={(e) => set({ severity: pick(severities, e.target.value) })} name="severity">
          <option value="">Any severity</option>
          {severities.map((s) => <option key={s} value={s}>{severityLabel[s]}</option>)}
        </select>
      </label>
      <label>
        Status
        <select value={filter.status ?? ''} onChange={(e) => set({ status: pick(findingStatuses, e.target.value) })} name="status">
          <option value="">Any status</option>
          {findingStatuses.map((s) => <option key={s} value={s}>{statusLabel[s]}</option>)}
        </select>
      </label>
      <label>
        Tool
        <input type="text" name="tool" placeholder="e.g. Semgrep OSS" value={text.tool} spellCheck={false}
          onChange={(e) => setText((t) => ({ ...t, tool: e.target.value }))} />
      </label>
      <label>
        Path contains
        <input type="text" name="path" placeholder="e.g. src/api/" value={text.path} spellCheck={false}
          onChange={(e) => setText((t) => ({ ...t, path: e.target.value }))} />
      </label>
      <label>
        Sort by
        <select value={sort} name="sort" onChange={(e) => onChange({ ...view, sort: pick(findingSorts, e.target.value) ?? 'severity', page: 1 })}>
          {findingSorts.map((s) => <option key={s} value={s}>{sortLabel[s]}</option>)}
        </select>
      </label>
      <label>
        Group
        <select value={groupBy ?? ''} name="group" onChange={(e) => {
          const { groupBy: _old, ...rest } = view;
          const next = pick(['rule', 'file'] as const, e.target.value);
          onChange({ ...rest, ...(next ? { groupBy: next } : {}), page: 1 });
        }}>
          <option value="">No grouping</option>
          <option value="rule">By rule</option>
          <option value="file">By file</option>
        </select>
      </label>
      {isFiltered(filter) && <Button appearance="subtle" onClick={() => onChange({ ...view, filter: {}, page: 1 })}>Clear filters</Button>}
    </div>
  );
}
