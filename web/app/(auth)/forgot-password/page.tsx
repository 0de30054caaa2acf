import { ForgotPasswordPageBody } from "../../_components/forgot-password-page";

export const metadata = { title: "Reset your password" };

/** Rendered per request for form posts and signed-in visitors; the plain anonymous GET is ./static. */
export default function ForgotPasswordPage() {
  return <ForgotPasswordPageBody />;
}
