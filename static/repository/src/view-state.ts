import { findingSorts, findingStatuses, severities, verdicts, type FindingFilter, type FindingSort } from '../../shared/src/api-types';

/** What the findings list shows, as the page's route keeps it (query parameters), so reloads and links keep it. */
export interface ViewState {
  filter: FindingFilter;
  sort: FindingSort;
  /** From 1. */
  page: number;
  pageSize: 50 | 100;
  groupBy?: 'rule' | 'file';
}

export const pageSizes = [50, 100] as const;

const pick = <T extends string>(allowed: readonly T[], value: string | null): T | undefined =>
  allowed.find((option) => option === value);
const text = (value: string | null, max: number): string | undefined => {
  const trimmed = value?.trim().slice(0, max);
  return trimmed ? trimmed : undefined;
};

/** Reads the state from query parameters; anything unknown or malformed falls back to the default. */
export function readViewState(params: URLSearchParams): ViewState {
  const filter: FindingFilter = {};
  const verdict = pick(verdicts, params.get('verdict'));
  const severity = pick(severities, params.get('severity'));
  const status = pick(findingStatuses, params.get('status'));
  const tool = text(params.get('tool'), 100);
  const path = text(params.get('path'), 500);
  const rule = text(params.get('rule'), 500);
  const q = text(params.get('q'), 200);
  if (verdict) filter.verdict = verdict;
  if (severity) filter.severity = severity;
  if (status) filter.status = status;
  if (tool) filter.tool = tool;
  if (path) filter.path = path;
  if (rule) filter.rule = rule;
  if (q) filter.q = q;
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  const size = params.get('size') === '100' ? 100 : 50;
  const groupBy = pick(['rule', 'file'] as const, params.get('group'));
  return {
    filter,
    sort: pick(findingSorts, params.get('sort')) ?? 'severity',
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 100_000) : 1,
    pageSize: size,
    ...(groupBy ? { groupBy } : {}),
  };
}

/** The query parameters for a state, leaving out defaults so a plain page has a plain route. */
export function writeViewState(state: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['q', 'verdict', 'severity', 'status', 'tool', 'path', 'rule'] as const) {
    const value = state.filter[key];
    if (value) params.set(key, value);
  }
  if (state.sort !== 'severity') params.set('sort', state.sort);
  if (state.groupBy) params.set('group', state.groupBy);
  if (state.pageSize !== 50) params.set('size', String(state.pageSize));
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

export const isFiltered = (filter: FindingFilter): boolean => Object.values(filter).some((value) => value !== undefined && value !== '');
