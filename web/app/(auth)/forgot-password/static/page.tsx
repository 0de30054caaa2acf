import { ForgotPasswordPageBody } from "../../../_components/forgot-password-page";

export const metadata = { title: "Reset your password" };

// Prerendered; served for a plain anonymous GET /forgot-password (see web/static-pages.cjs).
export const dynamic = "force-static";

export default function StaticForgotPasswordPage() {
  return <ForgotPasswordPageBody />;
}
