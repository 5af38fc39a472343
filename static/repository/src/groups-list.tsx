import type { FindingGroup } from '../../shared/src/api-types';
import { Button } from '../../shared/src/ui';

/** The filtered findings per rule or per file, most first; choosing one filters the list to it. */
export function GroupsList({ by, groups, onPick }: { by: 'rule' | 'file'; groups: FindingGroup[]; onPick(group: FindingGroup): void }) {
  if (groups.length === 0) return null;
  return (
    <div className="groups" data-testid="groups">
      <h3>{by === 'rule' ? 'By rule' : 'By file'}</h3>
      <ul className="group-list">
        {groups.map((group) => (
          <li key={group.key} data-testid="group">
            <Button appearance="subtle" className="group-button" onClick={() => onPick(group)}>
              <span className="group-count">{group.count}</span>{' '}
              <span className={by === 'file' ? 'mono' : undefined}>{group.label ?? (group.key || '(no file)')}</span>
              {group.label && <span className="subtle small mono"> {group.key}</span>}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
