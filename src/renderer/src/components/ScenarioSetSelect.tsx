/** A picker of scenario sets: the built-in sets a view offers (id, title), then the user's saved sets. */
export function ScenarioSetSelect(props: {
  value: string
  onChange: (set: string) => void
  builtIn: ReadonlyArray<readonly [string, string]>
  saved: readonly string[]
  testId: string
}) {
  return (
    <label>
      Set{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.builtIn.map(([id, title]) => (
          <option key={id} value={id}>
            {title}
          </option>
        ))}
        {props.saved.map((name) => (
          <option key={name} value={name}>
            Saved: {name}
          </option>
        ))}
      </select>
    </label>
  )
}
