import type { LocatedStep } from '../../shared/src/api-types';
import { location } from '../../shared/src/format';
import { ExternalLink } from '../../shared/src/ui';

function StepLocation({ step }: { step: LocatedStep }) {
  const text = location(step.path, step.line);
  if (step.path === undefined) return <span className="subtle">no file in this repository</span>;
  return <span className="mono">{step.fileUrl ? <ExternalLink href={step.fileUrl}>{text}</ExternalLink> : text}</span>;
}

/** Where the step sits in the flow, for people who do not read "1." as "where the data comes from". */
const roleOf = (index: number, count: number): string | undefined =>
  count < 2 ? undefined : index === 0 ? 'Source' : index === count - 1 ? 'Sink' : undefined;

/**
 * The scanner's code flow, source to sink, each step linked to the file at the scanned commit.
 * A long flow arrives shortened around a marker step `{omitted: n}`: it reads "n steps omitted".
 */
export function CodeFlow({ steps }: { steps: readonly LocatedStep[] }) {
  const real = steps.filter((step) => step.omitted === undefined).length;
  const total = steps.reduce((sum, step) => sum + (step.omitted ?? 1), 0);
  let number = 0;
  let seen = 0;
  return (
    <ol className="code-flow" data-testid="code-flow" aria-label={`Code flow, ${total} step${total === 1 ? '' : 's'} from source to sink`}>
      {steps.map((step, index) => {
        if (step.omitted !== undefined) {
          number += step.omitted;
          return (
            <li key={index} className="code-flow-gap" data-testid="code-flow-gap">
              {step.omitted} step{step.omitted === 1 ? '' : 's'} omitted
            </li>
          );
        }
        number += 1;
        seen += 1;
        const role = real < 2 ? undefined : seen === 1 ? 'Source' : seen === real ? 'Sink' : undefined;
        return (
          <li key={index} className="code-flow-step" data-testid="code-flow-step">
            <span className="code-flow-number" aria-hidden="true">{number}</span>
            <div>
              {role && <strong className="code-flow-role">{role}: </strong>}
              <StepLocation step={step} />
              {step.message && <div>{step.message}</div>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Other places the scanner points at (a declaration, a sanitiser that is missing, a second sink). */
export function RelatedLocations({ steps }: { steps: readonly LocatedStep[] }) {
  return (
    <ul className="related-locations" data-testid="related-locations">
      {steps.map((step, index) => (
        step.omitted !== undefined ? (
          <li key={index} className="subtle">and {step.omitted} more</li>
        ) : (
          <li key={index}>
            <StepLocation step={step} />
            {step.message && <span> — {step.message}</span>}
          </li>
        )
      ))}
    </ul>
  );
}
