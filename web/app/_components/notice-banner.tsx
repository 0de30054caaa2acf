import type { Notice } from "../../../src/interfaces/web/shared/notices";

export function NoticeBanner({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return (
    <div className={`alert alert-${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
      <p>{notice.text}</p>
    </div>
  );
}
