/** The labelled form fields of the back office and the till's dialogs: one shape for a text input and for a choice among options. */
import type { ReactNode } from 'react';

export function TextField({
  label,
  value,
  onChange,
  testId,
  maxLength,
  inputMode,
  type = 'text',
  disabled = false,
  autoFocus = false,
  className,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  maxLength?: number;
  inputMode?: 'decimal' | 'numeric' | 'tel' | 'text';
  type?: 'text' | 'date';
  disabled?: boolean;
  /** A dialog's first field takes the focus when it opens. */
  autoFocus?: boolean;
  className?: string;
}) {
  return (
    <label className={className}>
      {label}
      <input
        type={type}
        value={value}
        maxLength={maxLength}
        inputMode={inputMode}
        disabled={disabled}
        autoFocus={autoFocus}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}

export function ChoiceField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: ReactNode;
  value: T;
  /** Each option's value and what it is called on screen. */
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  testId?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {options.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
