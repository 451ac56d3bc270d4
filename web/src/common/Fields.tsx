/** The back office's labelled form fields: one shape for a text input and for a choice among options. */
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
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  maxLength?: number;
  inputMode?: 'decimal' | 'tel' | 'text';
  type?: 'text' | 'date';
  disabled?: boolean;
}) {
  return (
    <label>
      {label}
      <input
        type={type}
        value={value}
        maxLength={maxLength}
        inputMode={inputMode}
        disabled={disabled}
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
