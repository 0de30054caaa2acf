"use client";

import { useFormStatus } from "react-dom";

interface Props {
  readonly children: React.ReactNode;
  /** Shown while the form is being sent (JavaScript on). */
  readonly pendingLabel: string;
  readonly variant?: "primary" | "secondary" | "danger" | "link";
  readonly block?: boolean;
  readonly name?: string;
  readonly value?: string;
}

/**
 * A submit button that says what is happening while its form is in flight. Without JavaScript it is
 * a plain submit button. It stays focusable while pending (aria-disabled rather than disabled) so
 * keyboard focus is not lost, and a second click is ignored.
 */
export function SubmitButton({ children, pendingLabel, variant = "primary", block = false, name, value }: Props) {
  const { pending } = useFormStatus();
  const className = ["button", `button-${variant}`, block ? "button-block" : ""].filter(Boolean).join(" ");
  return (
    <button
      type="submit"
      className={className}
      aria-disabled={pending || undefined}
      name={name}
      value={value}
      onClick={(event) => {
        if (pending) event.preventDefault();
      }}
    >
      {pending ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span>{pendingLabel}</span>
        </>
      ) : (
        children
      )}
    </button>
  );
}
