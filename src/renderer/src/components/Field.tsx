/**
 * A text field of a form whose value is read by a parser (shared/format.ts): the parser's message shows beside
 * the input (`aria-invalid`, `aria-describedby`), so nothing typed is silently ignored. The message's element
 * and test id are `<testId>-error`.
 */
export function Field(props: { label: string; value: string; onChange: (v: string) => void; error: string | null; size: number; title: string; testId: string }) {
  const id = `${props.testId}-error`
  return (
    <span className="field">
      <label>
        {props.label}{' '}
        <input
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          size={props.size}
          title={props.title}
          aria-invalid={props.error !== null}
          aria-describedby={props.error ? id : undefined}
          data-testid={props.testId}
        />
      </label>
      {props.error && (
        <span className="field-error" id={id} role="alert" data-testid={id}>
          {props.error}
        </span>
      )}
    </span>
  )
}
