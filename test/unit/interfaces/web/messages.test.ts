import { AccountLocked, InvalidCredentials, RateLimited, Unauthenticated, WeakPassword } from "../../../../src/domain/shared/domain-error";
import { describeWait, mailRefusalFor, messageFor } from "../../../../src/interfaces/web/shared/messages";
import { noticeFor, withNotice } from "../../../../src/interfaces/web/shared/notices";

describe("what people read when something is refused", () => {
  it("says when to retry after too many attempts", () => {
    expect(messageFor(new RateLimited(42))).toBe("Too many attempts. Wait 42 seconds and try again.");
    expect(messageFor(new RateLimited(125))).toBe("Too many attempts. Wait 3 minutes and try again.");
  });

  it("a refused new verification link says links were sent already, and how long to wait, in words", () => {
    expect(mailRefusalFor(new RateLimited(3600))).toBe("We have already sent several links. Wait 1 hour before asking for another.");
    expect(mailRefusalFor(new RateLimited(1500))).toBe("We have already sent several links. Wait 25 minutes before asking for another.");
    expect(mailRefusalFor(new RateLimited(3600))).not.toMatch(/too many attempts/i);
    expect(mailRefusalFor(new Unauthenticated())).toBe(messageFor(new Unauthenticated()));
  });

  it("points a locked account to the password reset", () => {
    expect(messageFor(new AccountLocked(900))).toMatch(/Reset your password/);
  });

  it("does not say which of e-mail and password was wrong", () => {
    const text = messageFor(new InvalidCredentials());
    expect(text).toMatch(/e-mail address or password is wrong/);
  });

  it("keeps the reason a password was refused", () => {
    expect(messageFor(new WeakPassword("TOO_SHORT", "Use at least 8 characters."))).toBe("Use at least 8 characters.");
  });

  it("words waits", () => {
    expect(describeWait(1)).toBe("1 second");
    expect(describeWait(60)).toBe("1 minute");
    expect(describeWait(3601)).toBe("2 hours");
  });

  it("shows only known notices, never text from the URL", () => {
    expect(noticeFor("signed-out")?.text).toBe("You are signed out.");
    expect(noticeFor("<b>hacked</b>")).toBeNull();
    expect(noticeFor("toString")).toBeNull();
    expect(noticeFor(["signed-out"])?.tone).toBe("success");
    expect(withNotice("/sign-in", "signed-out")).toBe("/sign-in?notice=signed-out");
    expect(withNotice("/sign-in?next=%2Fx", "signed-out")).toBe("/sign-in?next=%2Fx&notice=signed-out");
  });
});
