import { CopyButton } from "./copy-button";

/**
 * Recovery codes, shown once: as a list, a download (a data: link, no JavaScript needed) and, with
 * JavaScript, a copy button.
 */
export function RecoveryCodesList({ codes }: { codes: readonly string[] }) {
  const text = `Recovery codes: each works once, in place of a code from your authenticator app.\n\n${codes.join("\n")}\n`;
  return (
    <div className="recovery-codes">
      <ol className="mono" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="row">
        <a className="button button-secondary" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="recovery-codes.txt">
          Download the codes
        </a>
        <CopyButton text={codes.join("\n")} label="Copy the codes" />
      </div>
    </div>
  );
}
