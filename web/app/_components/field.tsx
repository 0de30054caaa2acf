interface Props {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type?: "email" | "password" | "text";
  readonly autoComplete?: string;
  readonly defaultValue?: string;
  readonly error?: string;
  readonly hint?: React.ReactNode;
  readonly required?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Extra content on the label's line, e.g. a "Forgot password?" link. */
  readonly aside?: React.ReactNode;
  readonly autoFocus?: boolean;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({
  id,
  name,
  label,
  type = "text",
  autoComplete,
  defaultValue,
  error,
  hint,
  required = true,
  minLength,
  maxLength,
  aside,
  autoFocus,
}: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      {aside ? (
        <div className="label-row">
          <label htmlFor={id}>{label}</label>
          {aside}
        </div>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        required={required}
        minLength={minLength}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        autoFocus={autoFocus}
        spellCheck={type === "text" ? undefined : false}
        autoCapitalize={type === "email" || type === "password" ? "none" : undefined}
      />
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
