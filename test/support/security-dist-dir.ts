// The security, fuzz and fault suites run the app from a build directory of their own while people
// work in the tree, so a rebuild by another suite never swaps files under a running server. In CI
// (one run, nobody editing) they share the build the run made once. Imported before the HTTP harness,
// which reads NEXT_DIST_DIR when it loads.
if (process.env.CI !== "true") process.env.NEXT_DIST_DIR ||= ".next-sec";

export const SECURITY_DIST_DIR = process.env.NEXT_DIST_DIR;
