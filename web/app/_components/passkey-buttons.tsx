"use client";

import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";

/*
 * The WebAuthn ceremonies run in the browser (navigator.credentials), so these parts need JavaScript;
 * everything else on the pages works without it. Each talks to the JSON API with the site's own origin.
 */

interface ApiAnswer {
  readonly status: number;
  readonly body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

async function post(path: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(path, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

function reauthenticateUrl(next: string): string {
  return `/reauthenticate?next=${encodeURIComponent(next)}`;
}

/** What a failed ceremony says; a cancelled browser prompt is not an error worth shouting about. */
function describe(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey prompt was cancelled or timed out.";
  if (name === "InvalidStateError") return "This authenticator already holds a passkey for your account.";
  return "Your browser could not use a passkey here.";
}

function Status({ message, tone }: { message: string | null; tone: "error" | "success" }) {
  if (!message) return null;
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid="passkey-status">
      <p>{message}</p>
    </div>
  );
}

/** Adds a passkey: name it, then let the browser create it. A stale session goes through /reauthenticate. */
export function AddPasskey({ maxLength, returnTo }: { maxLength: number; returnTo: string }) {
  const [supported, setSupported] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  async function add(form: HTMLFormElement) {
    const name = String(new FormData(form).get("name") ?? "").trim();
    if (!name) return setMessage({ text: "Enter a name for the passkey.", tone: "error" });
    setBusy(true);
    setMessage(null);
    try {
      const options = await post("/api/auth/passkeys/registration/options");
      if (options.body.error?.code === "REAUTHENTICATION_REQUIRED") return window.location.assign(reauthenticateUrl(returnTo));
      if (options.status !== 200) return setMessage({ text: options.body.error?.message ?? "Could not start.", tone: "error" });
      let response;
      try {
        response = await startRegistration({ optionsJSON: options.body as never });
      } catch (error) {
        return setMessage({ text: describe(error), tone: "error" });
      }
      const saved = await post("/api/auth/passkeys/registration", { response, name });
      if (saved.body.error?.code === "REAUTHENTICATION_REQUIRED") return window.location.assign(reauthenticateUrl(returnTo));
      if (saved.status !== 201) return setMessage({ text: saved.body.error?.message ?? "The passkey was not saved.", tone: "error" });
      // Reload the list from the server (the page is the source of truth).
      window.location.assign(`${returnTo}?notice=passkey-added`);
    } finally {
      setBusy(false);
    }
  }

  if (supported === false) return <p className="empty">This browser cannot create passkeys.</p>;
  return (
    <>
      <Status message={message?.text ?? null} tone={message?.tone ?? "error"} />
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void add(event.currentTarget);
        }}
      >
        <div className="field">
          <label htmlFor="passkey-name">Name</label>
          <input id="passkey-name" name="name" type="text" autoComplete="off" maxLength={maxLength} required aria-describedby="passkey-name-hint" />
          <p className="hint" id="passkey-name-hint">
            Something that tells you later which device holds it, e.g. “Work laptop”.
          </p>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={busy || supported === null}>
            {busy ? "Waiting for your passkey…" : "Add a passkey"}
          </button>
        </div>
      </form>
    </>
  );
}

/**
 * Signs in with a passkey alone, or (`mode="reauthenticate"`) confirms it is you. On the sign-in page the
 * browser also offers passkeys in the e-mail field where it supports it (conditional UI).
 */
export function PasskeySignIn({ next, mode = "sign-in" }: { next: string; mode?: "sign-in" | "reauthenticate" }) {
  const [supported, setSupported] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);
  // The conditional (autofill) request and the button's request may both be answered, e.g. by an
  // authenticator that needs no gesture: only the first answer is sent, or the second sign-in would end
  // the session the first one opened.
  const posting = useRef(false);
  const endpoint = mode === "sign-in" ? "/api/auth/passkeys/authentication" : "/api/auth/passkeys/reauthentication";

  async function ceremony(autofill: boolean) {
    const options = await post("/api/auth/passkeys/authentication/options");
    if (options.status !== 200) throw new Error(options.body.error?.message ?? "Could not start.");
    const response = await startAuthentication({ optionsJSON: options.body as never, useBrowserAutofill: autofill });
    if (posting.current || done.current) return;
    posting.current = true;
    const answer = await post(endpoint, { response }).finally(() => (posting.current = false));
    if (answer.status !== 200) {
      setError(answer.body.error?.message ?? "The passkey could not be verified.");
      return;
    }
    done.current = true;
    window.location.assign(next);
  }

  useEffect(() => {
    setSupported(browserSupportsWebAuthn());
    if (mode !== "sign-in") return;
    void browserSupportsWebAuthnAutofill().then((autofill) => {
      // A pending conditional request; the button below aborts it and starts a modal one.
      if (autofill && document.querySelector('input[autocomplete~="webauthn"]')) ceremony(true).catch(() => undefined);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function click() {
    setBusy(true);
    setError(null);
    try {
      await ceremony(false);
    } catch (e) {
      if (!done.current) setError(describe(e));
    } finally {
      setBusy(false);
    }
  }

  if (!supported) return null;
  return (
    <div className="passkey-sign-in">
      <Status message={error} tone="error" />
      <button type="button" className="button button-secondary button-block" onClick={() => void click()} disabled={busy}>
        {busy ? "Waiting for your passkey…" : mode === "sign-in" ? "Sign in with a passkey" : "Use a passkey instead"}
      </button>
    </div>
  );
}
