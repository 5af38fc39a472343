import { forwardRef, useEffect, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { Appearance } from './format';

/** Small look-alikes of Atlassian Design System components, styled by base.css. */

export function Lozenge({ appearance = 'default', bold = false, children }: {
  appearance?: Appearance;
  bold?: boolean;
  children: ReactNode;
}) {
  return <span className={`lozenge lozenge-${appearance}${bold ? ' lozenge-bold' : ''}`}>{children}</span>;
}

type ButtonAppearance = 'primary' | 'default' | 'subtle' | 'danger';

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { appearance?: ButtonAppearance }>(
  function Button({ appearance = 'default', className, type = 'button', ...rest }, ref) {
    return <button ref={ref} type={type} className={`btn btn-${appearance}${className ? ` ${className}` : ''}`} {...rest} />;
  },
);

export type MessageAppearance = 'information' | 'warning' | 'error' | 'success';

export function SectionMessage({ appearance = 'information', title, children, role }: {
  appearance?: MessageAppearance;
  title?: string;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`section-message section-message-${appearance}`} role={role ?? (appearance === 'error' ? 'alert' : 'status')}>
      {title !== undefined && <p className="section-message-title">{title}</p>}
      {children !== undefined && <div className="section-message-body">{children}</div>}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div className="spinner-row" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Section({ title, description, children, id }: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {description !== undefined && <div className="section-description">{description}</div>}
      {children}
    </section>
  );
}

export function Field({ label, htmlFor, help, error, children }: {
  label: string;
  htmlFor: string;
  help?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <p className="field-error" id={`${htmlFor}-error`} role="alert">{error}</p>
      ) : help !== undefined ? (
        <p className="field-help" id={`${htmlFor}-help`}>{help}</p>
      ) : null}
    </div>
  );
}

/** Copies text to the clipboard and says so for a moment; falls back to selecting the text. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <Button onClick={() => void copy()} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select and copy' : label}
    </Button>
  );
}

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}
