// The security, fuzz and fault suites build and run the app from a build directory of their own, so a
// rebuild by another suite never swaps files under a running server. Imported before the HTTP harness,
// which reads NEXT_DIST_DIR when it loads.
process.env.NEXT_DIST_DIR ||= ".next-sec";

export const SECURITY_DIST_DIR = process.env.NEXT_DIST_DIR;
