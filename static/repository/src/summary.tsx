import { findingStatuses, severities, verdicts, type FindingCounts } from '../../shared/src/api-types';
import {
  severityAppearance,
  severityLabel,
  statusAppearance,
  statusLabel,
  verdictAppearance,
  verdictLabel,
  type Appearance,
} from '../../shared/src/format';
import { Lozenge } from '../../shared/src/ui';

interface Group {
  title: string;
  entries: { key: string; label: string; appearance: Appearance; count: number }[];
}

/** Repository-wide counts: the headline number, then one row each for verdict, severity and status. */
export function Summary({ counts }: { counts: FindingCounts }) {
  const groups: Group[] = [
    {
      title: 'Verdict',
      entries: verdicts.map((key) => ({
        key, label: verdictLabel[key], appearance: verdictAppearance[key], count: counts.byVerdict[key] ?? 0,
      })),
    },
    {
      title: 'Severity',
      entries: severities.map((key) => ({
        key, label: severityLabel[key], appearance: severityAppearance[key], count: counts.bySeverity[key] ?? 0,
      })),
    },
    {
      title: 'Status',
      entries: findingStatuses.map((key) => ({
        key, label: statusLabel[key], appearance: statusAppearance[key], count: counts.byStatus[key] ?? 0,
      })),
    },
  ];
  return (
    <section className="card summary" aria-labelledby="summary-title" data-testid="summary">
      <h2 id="summary-title" className="visually-hidden">Summary</h2>
      <div className="summary-total">
        <span className="summary-number">{counts.total}</span>
        <span className="subtle">finding{counts.total === 1 ? '' : 's'}</span>
      </div>
      <div className="summary-groups">
        {groups.map((group) => (
          <div key={group.title} className="summary-group">
            <h3>{group.title}</h3>
            <ul className="summary-list">
              {group.entries.map((entry) => (
                <li key={entry.key} className={entry.count === 0 ? 'summary-zero' : undefined}>
                  <span className="summary-count">{entry.count}</span>
                  <Lozenge appearance={entry.appearance}>{entry.label}</Lozenge>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
