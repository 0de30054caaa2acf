"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/dashboard", label: "Overview" },
  { href: "/dashboard/settings", label: "Security settings" },
  { href: "/dashboard/security", label: "Sign-in methods" },
  { href: "/dashboard/api-keys", label: "API keys" },
  { href: "/dashboard/teams", label: "Teams" },
] as const;

export function DashboardNav() {
  const pathname = usePathname();
  return (
    <nav className="app-nav" aria-label="Account">
      <ul>
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={pathname === link.href || (link.href === "/dashboard/teams" && pathname.startsWith("/dashboard/teams/")) ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
