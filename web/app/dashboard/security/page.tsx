import { NoticeBanner } from "../../_components/notice-banner";
import { TotpPanel } from "../../_components/totp-panel";
import { secondFactorOf } from "../../../../src/interfaces/web/mfa/page-data";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";

export const metadata = { title: "Sign-in methods" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer("/dashboard/security");
  const params = await searchParams;
  const status = await secondFactorOf(viewer);
  return (
    <>
      <h1>Sign-in methods</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />
      <TotpPanel status={status} />
    </>
  );
}
