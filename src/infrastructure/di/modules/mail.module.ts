import { ContainerModule } from "inversify";
import type { Clock } from "../../../application/shared/ports/clock.port";
import type { AppConfig } from "../../config";
import type { AppLog, Telemetry } from "../../observability";
import { DevMailbox } from "../../mail/dev-mailbox";
import { MailTemplates } from "../../mail/mail-templates";
import type { Mailer } from "../../mail/mailer";
import { OutboxDispatcher, type MailRenderer } from "../../mail/outbox-dispatcher";
import type { OutboxQueue } from "../../mail/outbox-queue";
import { SmtpMailer } from "../../mail/smtp-mailer";
import { TOKENS } from "../tokens";
import { bindFactory } from "./bind";

/** SMTP when SMTP_URL is set, else the development mailbox under DATA_DIR; the outbox dispatcher in front. */
export function mailModule(): ContainerModule {
  return new ContainerModule((options) => {
    bindFactory(
      options,
      TOKENS.MailRenderer,
      (config: AppConfig): MailRenderer =>
        new MailTemplates({
          appUrl: config.appUrl,
          verifyTokenTtlSeconds: config.auth.verifyTokenTtlSeconds,
          resetTokenTtlSeconds: config.auth.resetTokenTtlSeconds,
        }),
      [TOKENS.Config],
    );
    bindFactory(
      options,
      TOKENS.DevMailbox,
      (config: AppConfig, clock: Clock) => (config.mail.smtpUrl ? null : new DevMailbox({ dir: config.mail.mailboxDir, clock })),
      [TOKENS.Config, TOKENS.Clock],
    );
    bindFactory(
      options,
      TOKENS.Mailer,
      (config: AppConfig, devMailbox: DevMailbox | null): Mailer =>
        config.mail.smtpUrl ? new SmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from }) : devMailbox!,
      [TOKENS.Config, TOKENS.DevMailbox],
    );
    bindFactory(
      options,
      TOKENS.OutboxDispatcher,
      (queue: OutboxQueue, mailer: Mailer, renderer: MailRenderer, clock: Clock, config: AppConfig, log: AppLog, metrics: Telemetry) =>
        new OutboxDispatcher({ queue, mailer, renderer, clock, log, metrics, maxRetryAgeMs: config.mail.maxRetryAgeSeconds * 1000 }),
      [TOKENS.OutboxQueue, TOKENS.Mailer, TOKENS.MailRenderer, TOKENS.Clock, TOKENS.Config, TOKENS.Log, TOKENS.Telemetry],
    );
  });
}
