/** A one-line message: an error is announced at once (alert), information politely (status). */
export function Notice({
  tone,
  text,
  testId,
}: {
  tone: 'error' | 'info';
  text: string | null;
  testId?: string;
}) {
  if (!text) return null;
  return (
    <p className={`message ${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {text}
    </p>
  );
}
