/** Types of static-pages.cjs (see there). */
export declare const STATIC_PAGES: ReadonlyArray<{ readonly path: string; readonly twin: string }>;
export declare const PER_REQUEST_WHEN: ReadonlyArray<{ readonly type: "cookie" | "query" | "header"; readonly key: string }>;
export declare const SCRIPT_HASHES: string;
export declare const STYLE_HASHES: string;
export declare const STATIC_CSP: string;
